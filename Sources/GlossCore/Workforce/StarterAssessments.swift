import Foundation

/// What Gloss ships: the general and coding starter assessments (one attempt each), a specialist assessment, and
/// practice sets per track. Every item was written for Gloss; each seed's definition parses with
/// `AssessmentDefinition.parse` and each gold answer scores 1 against itself (the tests check both).
public enum StarterAssessments {
    /// One assessment as the store seeds it.
    public struct Seed: Sendable, Hashable {
        /// Unique, URL-safe: `starter-general`.
        public var slug: String
        public var title: String
        /// What the applicant is told before starting (plain text).
        public var description: String
        /// `starter`, `specialist` or `practice`.
        public var kind: String
        /// For a starter: the applicant path that takes it (`general` or `coding`); nil otherwise.
        public var path: String?
        /// The time limit in seconds; 0 for none (practice).
        public var timeLimitSeconds: Int
        /// Attempts allowed per person; 0 for unlimited (practice).
        public var attemptsAllowed: Int
        /// The track ids a passing attempt grants (none for practice).
        public var unlocks: [String]
        /// The track the set belongs to (a practice set's track, a specialist's field); nil when none.
        public var track: String?
        /// The `AssessmentDefinition` JSON: items with gold answers and rubrics, and the pass rule.
        public var definitionJSON: String

        public init(slug: String, title: String, description: String, kind: String, path: String?, timeLimitSeconds: Int,
                    attemptsAllowed: Int, unlocks: [String], track: String? = nil, definitionJSON: String) {
            self.slug = slug
            self.title = title
            self.description = description
            self.kind = kind
            self.path = path
            self.timeLimitSeconds = timeLimitSeconds
            self.attemptsAllowed = attemptsAllowed
            self.unlocks = unlocks
            self.track = track
            self.definitionJSON = definitionJSON
        }

        /// The parsed definition; errors name their paths (`items[3].gold.sentiment`).
        public func definition() throws(ValidationFailure) -> AssessmentDefinition {
            let json: JSONValue
            do {
                json = try JSONValue.parse(definitionJSON)
            } catch {
                throw ValidationFailure([FieldError(field: "definition", message: "is not valid JSON: \(error)")])
            }
            return try AssessmentDefinition.parse(json)
        }
    }

    /// Every shipped assessment: starters first, then the specialist, then practice.
    public static let all: [Seed] = [
        Seed(slug: "starter-general", title: "Starter assessment: general",
             description: "Twenty minutes on what the everyday work asks: reading guidelines closely, labeling sentiment, marking names in a text, rating and ranking model answers, and explaining a hard call in your own words.",
             kind: "starter", path: "general", timeLimitSeconds: 1200, attemptsAllowed: 1, unlocks: ["general"], track: "general",
             definitionJSON: generalStarter),
        Seed(slug: "starter-coding", title: "Starter assessment: coding",
             description: "Thirty minutes of reading Python and Swift: spot the bug, judge a function against its specification, review a change as you would a pull request, and write a review comment for a colleague.",
             kind: "starter", path: "coding", timeLimitSeconds: 1800, attemptsAllowed: 1, unlocks: ["general", "coding"], track: "coding",
             definitionJSON: codingStarter),
        Seed(slug: "specialist-chemistry", title: "Specialist assessment: chemistry",
             description: "Thirty minutes of chemistry at university level: acids and bases, stoichiometry, judging model answers for scientific accuracy, and correcting a wrong explanation.",
             kind: "specialist", path: nil, timeLimitSeconds: 1800, attemptsAllowed: 2, unlocks: ["stem.chemistry"], track: "stem.chemistry",
             definitionJSON: chemistrySpecialist),
        Seed(slug: "practice-general", title: "Practice: general labeling",
             description: "Untimed practice items like the real work; after each answer you see the right answer and why. Practice never counts toward a qualification.",
             kind: "practice", path: nil, timeLimitSeconds: 0, attemptsAllowed: 0, unlocks: [], track: "general",
             definitionJSON: generalPractice),
        Seed(slug: "practice-coding", title: "Practice: coding",
             description: "Untimed practice in reading and reviewing code; after each answer you see the right answer and why. Practice never counts toward a qualification.",
             kind: "practice", path: nil, timeLimitSeconds: 0, attemptsAllowed: 0, unlocks: [], track: "coding",
             definitionJSON: codingPractice),
    ]

    /// The seed with this slug.
    public static func seed(_ slug: String) -> Seed? {
        all.first { $0.slug == slug }
    }

    /// The starter an applicant of this path takes (`general` or `coding`).
    public static func starter(forPath path: String) -> Seed? {
        all.first { $0.kind == "starter" && $0.path == path }
    }

    static let generalStarter = #"""
        {
          "items": [
            {
              "id": "guidelines-delivery",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "Guidelines: **positive** — the review praises the product; **negative** — it criticises the product; **mixed** — it both praises and criticises *the product itself*; **neutral** — it states facts without judging the product. Complaints about delivery, price or customer service do not make a review mixed or negative: judge the product only.\n\nReview: *\"Great blender, crushes ice in seconds. The courier left the box in the rain, though.\"*\n\nWhich label do the guidelines ask for?",
              "options": [
                "positive",
                "negative",
                "mixed",
                "neutral"
              ],
              "correct": [
                "positive"
              ],
              "multiple": false,
              "explanation": "The only complaint is about the courier, and the guidelines say delivery problems do not count: the product itself is only praised."
            },
            {
              "id": "guidelines-unsure",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "You are halfway through a task and the guidelines do not cover the case in front of you. What do you do?",
              "options": [
                "Pick the label most annotators would probably choose and move on",
                "Choose the closest label and flag the task with a short note on what the guidelines do not cover",
                "Skip the task without saying why",
                "Leave the field empty and submit"
              ],
              "correct": [
                "Choose the closest label and flag the task with a short note on what the guidelines do not cover"
              ],
              "multiple": false,
              "explanation": "A flag with a note lets a reviewer decide and lets the requester fix the guidelines; guessing silently hides the gap."
            },
            {
              "id": "data-handling",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "Which of these must you never do with the data of a task? Choose every one that applies.",
              "options": [
                "Paste it into an outside chatbot or translation service",
                "Read the whole text before labeling it",
                "Keep a copy on your own computer after the task",
                "Share a screenshot of it in a public forum to ask for help"
              ],
              "correct": [
                "Paste it into an outside chatbot or translation service",
                "Keep a copy on your own computer after the task",
                "Share a screenshot of it in a public forum to ask for help"
              ],
              "multiple": true,
              "explanation": "Task data belongs to the requester and may be confidential: it stays on the platform. Reading it in full is what you should do."
            },
            {
              "id": "sentiment",
              "kind": "annotation",
              "points": 2,
              "prompt": "Guidelines: **positive** — the review praises the product; **negative** — it criticises the product; **mixed** — it both praises and criticises *the product itself*; **neutral** — it states facts without judging the product. Complaints about delivery, price or customer service do not make a review mixed or negative: judge the product only.\n\nLabel the sentiment of the review in the task.",
              "schema": {
                "fields": [
                  {
                    "name": "sentiment",
                    "type": "choice",
                    "label": "Sentiment",
                    "options": [
                      "positive",
                      "negative",
                      "mixed",
                      "neutral"
                    ]
                  }
                ]
              },
              "data": {
                "text": "The battery easily lasts two days, but the screen scratched in my pocket within a week."
              },
              "gold": {
                "sentiment": "mixed"
              },
              "explanation": "Battery life is praise and the scratched screen is criticism, both of the product itself: mixed."
            },
            {
              "id": "entities",
              "kind": "annotation",
              "points": 2,
              "prompt": "Mark every **person** (PERSON) and every **place** (LOC) in the text, and every **organisation** (ORG) if there is one. Mark each mention, including repeated ones, and mark a full name as one span. Do not mark dates, works or machines.",
              "schema": {
                "fields": [
                  {
                    "name": "entities",
                    "type": "spans",
                    "label": "Entities",
                    "source": "text",
                    "labels": [
                      "PERSON",
                      "ORG",
                      "LOC"
                    ]
                  }
                ]
              },
              "data": {
                "text": "Ada Lovelace corresponded with Charles Babbage from London, and in 1843 Babbage praised her notes on the Analytical Engine."
              },
              "gold": {
                "entities": [
                  {
                    "id": "s1",
                    "start": 0,
                    "end": 12,
                    "label": "PERSON",
                    "text": "Ada Lovelace"
                  },
                  {
                    "id": "s2",
                    "start": 31,
                    "end": 46,
                    "label": "PERSON",
                    "text": "Charles Babbage"
                  },
                  {
                    "id": "s3",
                    "start": 52,
                    "end": 58,
                    "label": "LOC",
                    "text": "London"
                  },
                  {
                    "id": "s4",
                    "start": 72,
                    "end": 79,
                    "label": "PERSON",
                    "text": "Babbage"
                  }
                ]
              },
              "explanation": "Four mentions: two people by full name, the city, and the second mention of Babbage. 1843 is a date and the Analytical Engine a machine."
            },
            {
              "id": "rate-answer",
              "kind": "annotation",
              "points": 2,
              "prompt": "A user asked a model a question. Rate the model's answer on both scales. A score of 1 needs a one-sentence justification.",
              "schema": {
                "fields": [
                  {
                    "name": "quality",
                    "type": "rating",
                    "label": "Quality",
                    "justify_below": 2,
                    "dimensions": [
                      {
                        "name": "accuracy",
                        "label": "Accuracy",
                        "min": 1,
                        "max": 5,
                        "anchors": {
                          "1": "Wrong",
                          "3": "Partly right",
                          "5": "Entirely right"
                        }
                      },
                      {
                        "name": "clarity",
                        "label": "Clarity",
                        "min": 1,
                        "max": 5,
                        "anchors": {
                          "1": "Confusing",
                          "3": "Understandable with effort",
                          "5": "Clear and direct"
                        }
                      }
                    ]
                  }
                ]
              },
              "data": {
                "question": "How many minutes are there in 3.5 hours?",
                "answer": "3.5 hours is 3 hours and 50 minutes, so the answer is 230 minutes."
              },
              "gold": {
                "quality": {
                  "scores": {
                    "accuracy": 1,
                    "clarity": 4
                  },
                  "justification": "Half an hour is 30 minutes, not 50: the right answer is 210 minutes."
                }
              },
              "scoring": {
                "rating_tolerance": 1
              },
              "explanation": "The answer is wrong (0.5 hours is 30 minutes, so 210 minutes) though clearly written; a score within one point of the gold counts in full."
            },
            {
              "id": "rank-answers",
              "kind": "annotation",
              "points": 2,
              "prompt": "The prompt was: *\"Explain photosynthesis to a ten-year-old in one or two sentences.\"* Rank the three answers from best (1) to worst (3), judging correctness first and then how well the answer suits a ten-year-old.",
              "schema": {
                "fields": [
                  {
                    "name": "order",
                    "type": "ranking",
                    "label": "Ranking",
                    "items": "responses"
                  }
                ]
              },
              "data": {
                "responses": [
                  "Photosynthesis is the process by which autotrophs convert light energy into chemical energy through chlorophyll-mediated reactions in the thylakoid membranes.",
                  "Plants eat soil through their roots, and that is why they need dirt to grow.",
                  "Plants use sunlight, water and air to make their own food, and while they do it they give off the oxygen we breathe."
                ]
              },
              "gold": {
                "order": [
                  2,
                  3,
                  1
                ]
              },
              "explanation": "The third answer is right and pitched at a child; the first is right but far too technical; the second is wrong."
            },
            {
              "id": "ambiguous-label",
              "kind": "written",
              "points": 2,
              "max_words": 150,
              "prompt": "With the labels positive, negative and neutral, a review reads: *\"Not bad at all for the price.\"* Which label would you choose? Explain why the case is ambiguous and what you would do about that ambiguity as an annotator.",
              "rubric": [
                {
                  "id": "label-justified",
                  "description": "Chooses a label and justifies it from the wording: 'not bad at all' is understatement expressing approval, so positive is the expected reading (neutral is acceptable only with a sound argument).",
                  "points": 2
                },
                {
                  "id": "ambiguity",
                  "description": "Names what makes it ambiguous: a negated negative phrase, and 'for the price' limits the praise to value for money.",
                  "points": 2
                },
                {
                  "id": "process",
                  "description": "Says they would follow the guidelines and flag or note the case for review rather than guess silently.",
                  "points": 1
                }
              ],
              "explanation": "Understatement ('not bad') usually signals approval; 'for the price' limits it. Good practice is to label and leave a note."
            }
          ],
          "pass": {
            "minimum_score": 0.7,
            "minimum_auto_score": 0.6,
            "review_band": 0.05
          }
        }
        """#

    static let codingStarter = #"""
        {
          "items": [
            {
              "id": "python-empty-average",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "```python\ndef average(values):\n    total = 0\n    for v in values:\n        total += v\n    return total / len(values)\n```\n\nWhat happens when `average([])` is called?",
              "options": [
                "It returns 0",
                "It returns None",
                "It raises ZeroDivisionError",
                "It raises IndexError"
              ],
              "correct": [
                "It raises ZeroDivisionError"
              ],
              "multiple": false,
              "explanation": "The loop never runs, so the function divides 0 by len([]) == 0."
            },
            {
              "id": "swift-range",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "```swift\nfunc firstIndex(of target: Int, in numbers: [Int]) -> Int? {\n    for i in 0...numbers.count {\n        if numbers[i] == target { return i }\n    }\n    return nil\n}\n```\n\nWhat is wrong with this function?",
              "options": [
                "It returns the last index when the target appears twice",
                "It traps with an index out of range when the target is not in the array",
                "It does not compile: a function returning Int? cannot return nil",
                "Nothing: it returns nil when the target is missing"
              ],
              "correct": [
                "It traps with an index out of range when the target is not in the array"
              ],
              "multiple": false,
              "explanation": "The closed range 0...numbers.count reaches numbers.count, one past the last index; 0..<numbers.count (or numbers.indices) is right."
            },
            {
              "id": "python-default-list",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "```python\ndef add_tag(tag, tags=[]):\n    tags.append(tag)\n    return tags\n\nadd_tag(\"a\")\nprint(add_tag(\"b\"))\n```\n\nWhat does this print?",
              "options": [
                "['b']",
                "['a', 'b']",
                "['a']",
                "It raises TypeError"
              ],
              "correct": [
                "['a', 'b']"
              ],
              "multiple": false,
              "explanation": "A default value is evaluated once, when the function is defined, so both calls share and mutate the same list. Use tags=None and create the list inside."
            },
            {
              "id": "leap-year",
              "kind": "annotation",
              "points": 2,
              "prompt": "Read the function in the task. Does it follow the Gregorian rule (a year divisible by 4 is a leap year, except years divisible by 100, unless they are also divisible by 400)?",
              "schema": {
                "fields": [
                  {
                    "name": "verdict",
                    "type": "choice",
                    "label": "Verdict",
                    "options": [
                      "follows the rule",
                      "wrong for years divisible by 4 but not by 100",
                      "wrong for years divisible by 100 but not by 400",
                      "wrong for years divisible by 400"
                    ]
                  }
                ]
              },
              "data": {
                "code": "def is_leap(year):\n    if year % 4 == 0:\n        if year % 100 == 0:\n            return False\n        return True\n    return False\n",
                "language": "python"
              },
              "gold": {
                "verdict": "wrong for years divisible by 400"
              },
              "explanation": "Years divisible by 400 (such as 2000) are leap years, but the function returns False for every year divisible by 100."
            },
            {
              "id": "review-sql",
              "kind": "annotation",
              "points": 3,
              "prompt": "Review the change in the task as you would a pull request. Leave **one** comment on its most serious problem, on the line(s) at fault, with a category and a severity (critical: lets an outsider read or change data they should not).",
              "schema": {
                "fields": [
                  {
                    "name": "review",
                    "type": "code_review",
                    "label": "Review",
                    "source": "code",
                    "language": "python",
                    "min_comments": 1
                  }
                ]
              },
              "data": {
                "code": "import sqlite3\n\ndef find_user(db: sqlite3.Connection, name: str):\n    query = \"SELECT id, email FROM users WHERE name = '\" + name + \"'\"\n    return db.execute(query).fetchone()\n",
                "path": "app/users.py"
              },
              "gold": {
                "review": [
                  {
                    "file": "app/users.py",
                    "start_line": 4,
                    "end_line": 5,
                    "category": "security",
                    "severity": "critical",
                    "cwe": "CWE-89",
                    "comment": "The query is built by concatenating user input, which allows SQL injection. Use a parameterised query.",
                    "suggestion": "    query = \"SELECT id, email FROM users WHERE name = ?\"\n    return db.execute(query, (name,)).fetchone()"
                  }
                ]
              },
              "explanation": "Concatenating name into the SQL text lets a caller inject SQL (CWE-89); a placeholder with a parameter tuple fixes it."
            },
            {
              "id": "review-comment",
              "kind": "written",
              "points": 2,
              "max_words": 200,
              "prompt": "A teammate adds `def parse_age(text): return int(text)` and calls it on the age field of a public sign-up form. Write the review comment you would leave: what can go wrong, and what do you suggest instead?",
              "rubric": [
                {
                  "id": "failure",
                  "description": "Identifies that int() raises ValueError on empty or non-numeric input (for example '', 'twenty', '3.5'), which would crash the request.",
                  "points": 2
                },
                {
                  "id": "range",
                  "description": "Points out that a number can still be invalid: negative or implausibly large ages need a range check.",
                  "points": 1
                },
                {
                  "id": "suggestion",
                  "description": "Suggests a concrete fix: catch the error or validate first, return a clear validation message to the user, optionally strip whitespace.",
                  "points": 2
                },
                {
                  "id": "tone",
                  "description": "Is specific, constructive and polite, as a review comment to a colleague should be.",
                  "points": 1
                }
              ],
              "explanation": "Input from a form is untrusted: it may be empty, non-numeric or out of range, and the user deserves a clear message rather than a server error."
            }
          ],
          "pass": {
            "minimum_score": 0.7,
            "minimum_auto_score": 0.6,
            "review_band": 0.05
          }
        }
        """#

    static let chemistrySpecialist = #"""
        {
          "items": [
            {
              "id": "conjugate-base",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "What is the conjugate base of sulfuric acid, H₂SO₄?",
              "options": [
                "SO₄²⁻",
                "HSO₄⁻",
                "H₃SO₄⁺",
                "H₂O"
              ],
              "correct": [
                "HSO₄⁻"
              ],
              "multiple": false,
              "explanation": "A conjugate base is the acid minus one proton: H₂SO₄ → HSO₄⁻ + H⁺."
            },
            {
              "id": "limiting-reagent",
              "kind": "multiple_choice",
              "points": 1,
              "prompt": "2 H₂ + O₂ → 2 H₂O. You react 4 mol of H₂ with 3 mol of O₂. At most how much water forms?",
              "options": [
                "3 mol",
                "4 mol",
                "6 mol",
                "7 mol"
              ],
              "correct": [
                "4 mol"
              ],
              "multiple": false,
              "explanation": "4 mol of H₂ needs only 2 mol of O₂, so H₂ is limiting and gives 4 mol of H₂O; 1 mol of O₂ is left over."
            },
            {
              "id": "ice-floats",
              "kind": "annotation",
              "points": 2,
              "prompt": "A user asked: *\"Why does ice float on water?\"* Compare the two model answers: which is better, by how much, and why?",
              "schema": {
                "fields": [
                  {
                    "name": "judgement",
                    "type": "pairwise",
                    "label": "Which answer is better?",
                    "items": "responses"
                  }
                ]
              },
              "data": {
                "responses": [
                  "In ice, hydrogen bonds hold the water molecules in an open hexagonal lattice, so ice is about 9% less dense than liquid water and floats.",
                  "Ice floats because freezing traps tiny air bubbles inside it, and the air makes it lighter than the water around it."
                ]
              },
              "gold": {
                "judgement": {
                  "winner": "a",
                  "strength": 3,
                  "reason": "A gives the real cause (the open hydrogen-bonded lattice lowers the density); B is a misconception: clear, bubble-free ice floats too."
                }
              },
              "explanation": "Answer A is correct; answer B states a common misconception (bubble-free ice floats as well), so A is much better."
            },
            {
              "id": "catalyst-equilibrium",
              "kind": "written",
              "points": 3,
              "max_words": 200,
              "prompt": "A model wrote: *\"Adding a catalyst shifts the equilibrium towards the products, which increases the yield of the reaction.\"* Explain what is wrong and write a corrected statement.",
              "rubric": [
                {
                  "id": "error",
                  "description": "States that a catalyst does not change the position of equilibrium (nor the equilibrium constant), so the equilibrium yield is unchanged.",
                  "points": 2
                },
                {
                  "id": "mechanism",
                  "description": "Explains why: it lowers the activation energy of the forward and reverse reactions alike, speeding both.",
                  "points": 2
                },
                {
                  "id": "correction",
                  "description": "Gives a correct rewrite: a catalyst makes the system reach the same equilibrium faster.",
                  "points": 1
                },
                {
                  "id": "clarity",
                  "description": "Is accurate throughout and clear to a non-specialist reader.",
                  "points": 1
                }
              ]
            }
          ],
          "pass": {
            "minimum_score": 0.7,
            "minimum_auto_score": 0.5,
            "review_band": 0.05
          }
        }
        """#

    static let generalPractice = #"""
        {
          "items": [
            {
              "id": "sarcasm",
              "kind": "multiple_choice",
              "prompt": "Guidelines: **positive** — the review praises the product; **negative** — it criticises the product; **mixed** — it both praises and criticises *the product itself*; **neutral** — it states facts without judging the product. Complaints about delivery, price or customer service do not make a review mixed or negative: judge the product only.\n\nReview: *\"Oh great, it broke on day two. Exactly what I paid for.\"*\n\nWhich label do the guidelines ask for?",
              "options": [
                "positive",
                "negative",
                "mixed",
                "neutral"
              ],
              "correct": [
                "negative"
              ],
              "multiple": false,
              "explanation": "The words 'great' and 'exactly what I paid for' are sarcastic: the review complains that the product broke."
            },
            {
              "id": "fact-only",
              "kind": "annotation",
              "points": 1,
              "prompt": "Guidelines: **positive** — the review praises the product; **negative** — it criticises the product; **mixed** — it both praises and criticises *the product itself*; **neutral** — it states facts without judging the product. Complaints about delivery, price or customer service do not make a review mixed or negative: judge the product only.\n\nLabel the sentiment of the review in the task.",
              "schema": {
                "fields": [
                  {
                    "name": "sentiment",
                    "type": "choice",
                    "label": "Sentiment",
                    "options": [
                      "positive",
                      "negative",
                      "mixed",
                      "neutral"
                    ]
                  }
                ]
              },
              "data": {
                "text": "The kettle holds 1.7 litres and comes with a one-year warranty."
              },
              "gold": {
                "sentiment": "neutral"
              },
              "explanation": "The review states facts (capacity, warranty) and judges nothing: neutral."
            },
            {
              "id": "practice-entities",
              "kind": "annotation",
              "prompt": "Mark every person (PERSON), organisation (ORG) and place (LOC). A full name is one span.",
              "schema": {
                "fields": [
                  {
                    "name": "entities",
                    "type": "spans",
                    "label": "Entities",
                    "source": "text",
                    "labels": [
                      "PERSON",
                      "ORG",
                      "LOC"
                    ]
                  }
                ]
              },
              "data": {
                "text": "Grace Hopper worked at Harvard University before moving to Philadelphia."
              },
              "gold": {
                "entities": [
                  {
                    "id": "s1",
                    "start": 0,
                    "end": 12,
                    "label": "PERSON",
                    "text": "Grace Hopper"
                  },
                  {
                    "id": "s2",
                    "start": 23,
                    "end": 41,
                    "label": "ORG",
                    "text": "Harvard University"
                  },
                  {
                    "id": "s3",
                    "start": 59,
                    "end": 71,
                    "label": "LOC",
                    "text": "Philadelphia"
                  }
                ]
              },
              "explanation": "Grace Hopper is a person, Harvard University an organisation (one span for the full name) and Philadelphia a place."
            },
            {
              "id": "practice-ranking",
              "kind": "annotation",
              "prompt": "The prompt was: *\"What is the capital of Australia?\"* Rank the answers from best (1) to worst (3): correctness first, then brevity.",
              "schema": {
                "fields": [
                  {
                    "name": "order",
                    "type": "ranking",
                    "label": "Ranking",
                    "items": "responses"
                  }
                ]
              },
              "data": {
                "responses": [
                  "Sydney.",
                  "The capital of Australia is Canberra, chosen in 1908 as a compromise between Sydney and Melbourne.",
                  "Canberra."
                ]
              },
              "gold": {
                "order": [
                  3,
                  2,
                  1
                ]
              },
              "explanation": "Sydney is wrong. Both other answers are right; the question asked only for the capital, so the short one ranks first."
            }
          ],
          "pass": {
            "minimum_score": 0.7,
            "review_band": 0.05
          }
        }
        """#

    static let codingPractice = #"""
        {
          "items": [
            {
              "id": "python-slice",
              "kind": "multiple_choice",
              "prompt": "```python\ndef last_three(items):\n    return items[len(items) - 3:len(items) - 1]\n```\n\nWhat does `last_three([1, 2, 3, 4, 5])` return?",
              "options": [
                "[3, 4, 5]",
                "[3, 4]",
                "[2, 3, 4]",
                "It raises IndexError"
              ],
              "correct": [
                "[3, 4]"
              ],
              "multiple": false,
              "explanation": "A slice's end is exclusive, so len(items) - 1 stops before the last element; items[-3:] is what was meant."
            },
            {
              "id": "swift-optional",
              "kind": "multiple_choice",
              "prompt": "```swift\nlet scores = [\"ana\": 7, \"ben\": 9]\nlet total = (scores[\"ana\"] ?? 0) + (scores[\"cleo\"] ?? 0)\n```\n\nWhat is `total`?",
              "options": [
                "7",
                "16",
                "nil",
                "It does not compile"
              ],
              "correct": [
                "7"
              ],
              "multiple": false,
              "explanation": "A dictionary lookup gives an optional; \"cleo\" is missing, so ?? supplies 0 and the total is 7 + 0."
            },
            {
              "id": "practice-review",
              "kind": "annotation",
              "prompt": "Leave one comment on the most serious problem of this change, on the line at fault.",
              "schema": {
                "fields": [
                  {
                    "name": "review",
                    "type": "code_review",
                    "label": "Review",
                    "source": "code",
                    "language": "python",
                    "min_comments": 1
                  }
                ]
              },
              "data": {
                "code": "import subprocess\n\ndef ping(host):\n    return subprocess.run(\"ping -c 1 \" + host, shell=True).returncode\n",
                "path": "net.py"
              },
              "gold": {
                "review": [
                  {
                    "file": "net.py",
                    "start_line": 4,
                    "end_line": 4,
                    "category": "security",
                    "severity": "critical",
                    "cwe": "CWE-78",
                    "comment": "The host is pasted into a shell command: a value such as '; rm -rf ~' runs arbitrary commands. Pass a list without shell=True."
                  }
                ]
              },
              "explanation": "shell=True with concatenated input is OS command injection (CWE-78); subprocess.run([\"ping\", \"-c\", \"1\", host]) avoids the shell."
            }
          ],
          "pass": {
            "minimum_score": 0.7,
            "review_band": 0.05
          }
        }
        """#
}
