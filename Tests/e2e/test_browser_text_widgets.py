"""The language and LLM-evaluation widgets in a real browser: a worker marks entities with the mouse and
with the keyboard, links two of them, ranks three responses and comments on a line range of code; the
requester's export holds each, with offsets in code points."""

from __future__ import annotations

from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in, wait_for_next_task

WORKER = "ann@x.test"
# An emoji before the names makes JavaScript's UTF-16 offsets differ from the code points the API stores.
SENTENCE = "👍🏽 Ada Lovelace met Charles Babbage in London."


def make_project(server: GlossServer, schema: dict[str, Any], tasks: list[dict[str, Any]]) -> tuple[Api, str]:
    requester = Api(server.url, create_account(server, f"req{len(schema['fields'])}{id(schema)}@x.test", "requester", org="X"))
    project_id = requester.create_project("Widgets", schema=schema)["id"]
    assert requester.import_tasks(project_id, tasks) == len(tasks)
    return requester, project_id


def select_text(page: Page, container: str, surface: str) -> None:
    """Selects `surface` inside the element as a mouse drag would (a DOM range over its text)."""
    page.evaluate(
        """([selector, surface]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let text = "", nodes = [];
            while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
            const start = text.indexOf(surface), end = start + surface.length;
            const locate = (offset) => {
                for (const [node, at] of nodes) if (offset <= at + node.data.length) return [node, offset - at];
            };
            const range = document.createRange();
            range.setStart(...locate(start));
            range.setEnd(...locate(end));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [container, surface],
    )


def export_value(requester: Api, project_id: str) -> dict[str, Any]:
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    annotations = [a for record in records for a in record["annotations"] if a["worker"] == WORKER]
    assert len(annotations) == 1, records
    return annotations[0]["value"]


def test_spans_with_mouse_and_keyboard_and_a_relation(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    schema = {"fields": [
        {"name": "entities", "type": "spans", "source": "text",
         "labels": [{"value": "PER", "hotkey": "p"}, {"value": "LOC", "hotkey": "l"}]},
        {"name": "links", "type": "relations", "spans": "entities", "labels": ["met", "located_in"]},
    ]}
    requester, project_id = make_project(server, schema, [{"data": {"text": SENTENCE}}])
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    current_task_id(page)
    field = page.locator('.field-spans[data-field="entities"]')
    expect(field.locator(".span-text")).to_have_text(SENTENCE)

    # Mouse: select "Ada Lovelace" and click the PER label.
    select_text(page, '.field-spans[data-field="entities"] .span-text', "Ada Lovelace")
    field.locator('button.span-label[data-value="PER"]').click()
    expect(field.locator('mark.span[data-label="PER"]')).to_have_count(1)

    # Mouse again, then the label's hotkey: "London".
    select_text(page, '.field-spans[data-field="entities"] .span-text', "London")
    page.keyboard.press("l")
    expect(field.locator('mark.span[data-label="LOC"]')).to_have_count(1)

    # Keyboard only: focus the text, walk by words to the end of "met", select the next two words
    # (the leading space is trimmed), press P.
    field.locator(".span-text").focus()
    page.keyboard.press("Home")
    for _ in range(3):  # Ctrl+→ goes to the end of the next word: "Ada", "Lovelace", "met"
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("p")
    expect(field.locator('li.span-item[data-label="PER"]')).to_have_count(2)

    relations = page.locator('.field-relations[data-field="links"]')
    ids = {item.get_attribute("data-span-id"): item.inner_text() for item in field.locator("li.span-item").all()}
    ada = next(i for i, text in ids.items() if "Ada" in text)
    charles = next(i for i, text in ids.items() if "Charles" in text)
    relations.locator("select.relation-head").select_option(ada)
    relations.locator("select.relation-tail").select_option(charles)
    relations.locator('button.relation-label[data-value="met"]').click()
    relations.locator("button.relation-add").click()
    expect(relations.locator("li.relation-item")).to_have_count(1)

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()

    value = export_value(requester, project_id)
    found = {(span["label"], SENTENCE[span["start"]:span["end"]]) for span in value["entities"]}
    assert found == {("PER", "Ada Lovelace"), ("LOC", "London"), ("PER", "Charles Babbage")}, value
    by_text = {SENTENCE[span["start"]:span["end"]]: span["id"] for span in value["entities"]}
    assert value["links"] == [{"head": by_text["Ada Lovelace"], "tail": by_text["Charles Babbage"], "label": "met"}]


def test_ranking_three_responses(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    schema = {"fields": [{"name": "order", "type": "ranking", "items": "responses"}]}
    responses = ["Refund sent today.", "Ask your bank.", "Which card was charged?"]
    requester, project_id = make_project(server, schema, [
        {"data": {"prompt": "I was charged twice.", "responses": responses}},
        {"data": {"prompt": "Second task", "responses": ["x", "y", "z"]}},
    ])
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    # The responses show once, as lettered cards.
    expect(page.locator("#task-data .candidate")).to_have_count(3)
    field = page.locator('.field-ranking[data-field="order"]')
    # C best, then A, then B: choose ranks with the selects.
    field.locator('select.rank-select[data-index="2"]').select_option("1")
    field.locator('select.rank-select[data-index="0"]').select_option("2")
    field.locator('select.rank-select[data-index="1"]').select_option("3")
    expect(field.locator("li.rank-item").first).to_have_attribute("data-index", "2")
    page.locator("#submit-button").click()
    wait_for_next_task(page, task_id)
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    ranked = [a["value"] for r in records for a in r["annotations"]]
    assert ranked == [{"order": [2, 3, 1]}], ranked
    pairs = parse_jsonl(requester.export(project_id, "dpo"))
    assert (pairs[0]["chosen"], pairs[0]["rejected"]) == (responses[2], responses[0])


CODE = '''def find_user(db, name):
    query = f"SELECT * FROM users WHERE name = '{name}'"
    return db.execute(query).fetchone()


def last_n(items, n):
    return [items[i] for i in range(len(items) - n + 1, len(items))]
'''


def test_code_review_comment_on_a_line_range(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    schema = {"fields": [{"name": "review", "type": "code_review", "source": "files", "min_comments": 1}]}
    files = [{"path": "app/users.py", "language": "python", "content": CODE},
             {"path": "README.md", "language": "", "content": "<script>alert(1)</script>"}]
    requester, project_id = make_project(server, schema, [{"data": {"files": files}}])
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    current_task_id(page)
    code = page.locator('section.code-file[data-path="app/users.py"]')
    expect(code.locator("div.code-line")).to_have_count(7)
    # Highlighted by our own highlighter: the keyword is a token of its own.
    expect(code.locator('div.code-line[data-line="1"] .tok-keyword').first).to_have_text("def")

    # Lines 2-3: click the first line number, shift-click the last.
    code.locator('div.code-line[data-line="2"] span.line-number').click()
    code.locator('div.code-line[data-line="3"] span.line-number').click(modifiers=["Shift"])
    expect(code.locator("div.code-line.selected")).to_have_count(2)
    form = page.locator(".review-form")
    form.locator("select.review-category").select_option("security")
    form.locator("select.review-severity").select_option("critical")
    form.locator("input.review-cwe").fill("CWE-89")
    form.locator("textarea.review-comment").fill("SQL injection: the name is pasted into the query.")
    form.locator("textarea.review-suggestion").fill("    return db.execute(\"SELECT * FROM users WHERE name = ?\", (name,)).fetchone()")
    form.locator("button.review-add").click()
    expect(page.locator("div.review-comment")).to_have_count(1)
    # The untrusted file shows as text.
    expect(page.locator('section.code-file[data-path="README.md"]')).to_contain_text("<script>alert(1)</script>")

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()
    value = export_value(requester, project_id)
    assert value["review"] == [{
        "file": "app/users.py", "start_line": 2, "end_line": 3, "category": "security", "severity": "critical",
        "cwe": "CWE-89", "comment": "SQL injection: the name is pasted into the query.",
        "suggestion": "    return db.execute(\"SELECT * FROM users WHERE name = ?\", (name,)).fetchone()",
    }], value


# A 1x1 PNG, served for the "generated images" below.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5e2f3a20000000049454e44ae426082")


def test_pairwise_over_two_generated_images(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    """The judging widgets work over images: two generated images on an HTTPS host (the page's policy lets
    them load), A or B with a strength and a reason, found in the export and the DPO pairs."""
    server = gloss_server()
    schema = {"fields": [{"name": "better", "type": "pairwise", "items": "images", "ties": False}]}
    images = [{"image": "https://images.example/a.png", "alt": "Lighthouse at dusk, model 1"},
              {"image": "https://images.example/b.png", "alt": "Lighthouse at dusk, model 2"}]
    requester, project_id = make_project(server, schema, [{"data": {"prompt": "A lighthouse at dusk", "images": images}},
                                                          {"data": {"prompt": "Second task", "images": images}}])
    served: list[str] = []

    def serve_png(route: Any) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://images.example/**", serve_png)
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    cards = page.locator("#task-data .candidate img")
    expect(cards).to_have_count(2)
    page.wait_for_function("() => [...document.querySelectorAll('#task-data .candidate img')].every((i) => i.complete && i.naturalWidth > 0)")
    assert sorted(served) == ["https://images.example/a.png", "https://images.example/b.png"]
    field = page.locator('.field-pairwise[data-field="better"]')
    field.locator('button.pairwise-choice[data-winner="b"][data-strength="3"]').click()
    field.locator("textarea.pairwise-reason").fill("The light beam and the dusk sky are both right.")
    page.locator("#submit-button").click()
    wait_for_next_task(page, task_id)
    assert export_value(requester, project_id) == {
        "better": {"winner": "b", "strength": 3, "reason": "The light beam and the dusk sky are both right."}}
