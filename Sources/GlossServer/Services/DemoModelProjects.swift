import Foundation
import GlossCore
import GlossStore
import Vapor

/// The demo's projects that use models and ontologies: a live chat against Gloss's built-in stand-in model,
/// diagnosis coding with a small disease taxonomy, and ticket triage pre-labelled by the stand-in on import.
extension Demo {
    /// Where this server answers, for the stand-in model's endpoints.
    static func standInURL(_ app: Application) -> String {
        let configuration = app.gloss.configuration
        let host = ["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1" : configuration.host
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(configuration.port)"
    }

    static var liveChat: ProjectSeed {
        ProjectSeed(
            name: "Live chat: travel assistant (stand-in model)",
            schemaJSON: """
            {"fields": [{"name": "conversation", "label": "Conversation", "type": "chat", "endpoint": "assistant",
              "min_turns": 2, "max_turns": 4, "system_key": "persona"}]}
            """,
            guidelines: """
            **This demo talks to Gloss's built-in stand-in model, not a real language model.** Its replies are \
            templates around your words, so they will often be vague: judge them as you would a real model's.

            1. Write the first message a traveller with this scenario would send.
            2. Read both replies. Pick the better one, say how much better, and why (helpfulness, accuracy, tone).
            3. If the chosen reply has a mistake or misses something, edit it into the reply you would want: the \
            conversation continues from your edit.
            4. Have at least two exchanges, then submit.
            """,
            tasks: [
                task("chat-1", ["scenario": .string("You are planning three days in Lisbon in May with a small budget."),
                                "persona": .string("You are a friendly, concise travel assistant.")]),
                task("chat-2", ["scenario": .string("Your train from Vienna to Prague was cancelled and you need to arrive tonight."),
                                "persona": .string("You are a calm travel assistant who gives concrete options.")]),
                task("chat-3", ["scenario": .string("You want a quiet beach holiday in October with two children under five."),
                                "persona": .string("You are a travel assistant for families.")]),
            ],
            standInEndpoints: [("assistant", .chat, "/stand-in-model/v1/chat/completions")])
    }

    static let diseaseTaxonomy = """
        id,parent,name,synonyms
        NEO,,Neoplasms,Tumours|Cancers
        NEO.BRE,NEO,Breast neoplasms,Breast cancer|Breast tumour
        NEO.BRE.DUC,NEO.BRE,Invasive ductal carcinoma,IDC|Infiltrating ductal carcinoma
        NEO.BRE.LOB,NEO.BRE,Invasive lobular carcinoma,ILC
        NEO.LUN,NEO,Lung neoplasms,Lung cancer
        NEO.LUN.NSC,NEO.LUN,Non-small cell lung carcinoma,NSCLC
        NEO.LUN.SCL,NEO.LUN,Small cell lung carcinoma,SCLC|Oat cell carcinoma
        NEO.SKI,NEO,Skin neoplasms,Skin cancer
        NEO.SKI.MEL,NEO.SKI,Melanoma,Malignant melanoma
        NEO.SKI.BCC,NEO.SKI,Basal cell carcinoma,BCC|Rodent ulcer
        CVD,,Cardiovascular diseases,Heart disease
        CVD.HTN,CVD,Hypertension,High blood pressure|HTN
        CVD.IHD,CVD,Ischaemic heart disease,Coronary artery disease|CAD
        CVD.IHD.MI,CVD.IHD,Myocardial infarction,Heart attack|MI
        CVD.IHD.ANG,CVD.IHD,Angina pectoris,Angina|Chest pain on exertion
        CVD.AF,CVD,Atrial fibrillation,AF|AFib
        CVD.HF,CVD,Heart failure,Congestive heart failure|CHF
        RES,,Respiratory diseases,Lung disease
        RES.AST,RES,Asthma,Bronchial asthma|Reactive airway disease
        RES.COP,RES,Chronic obstructive pulmonary disease,COPD|Emphysema|Chronic bronchitis
        RES.PNE,RES,Pneumonia,Lung infection
        RES.PNE.BAC,RES.PNE,Bacterial pneumonia,Pneumococcal pneumonia
        RES.PNE.VIR,RES.PNE,Viral pneumonia,
        END,,Endocrine and metabolic diseases,
        END.DM,END,Diabetes mellitus,Diabetes|Sugar diabetes
        END.DM.T1,END.DM,Type 1 diabetes mellitus,T1DM|Juvenile diabetes
        END.DM.T2,END.DM,Type 2 diabetes mellitus,T2DM|Adult-onset diabetes
        END.THY,END,Thyroid disorders,
        END.THY.HYPO,END.THY,Hypothyroidism,Underactive thyroid
        END.THY.HYPER,END.THY,Hyperthyroidism,Overactive thyroid|Graves disease
        NEU,,Nervous system diseases,Neurological disorders
        NEU.MIG,NEU,Migraine,Migraine headache
        NEU.EPI,NEU,Epilepsy,Seizure disorder
        NEU.PAR,NEU,Parkinson disease,Parkinson's disease|Paralysis agitans
        NEU.STR,NEU,Stroke,Cerebrovascular accident|CVA
        INF,,Infectious diseases,
        INF.UTI,INF,Urinary tract infection,UTI|Cystitis
        INF.FLU,INF,Influenza,Flu
        INF.CEL,INF,Cellulitis,Skin infection
        """

    static var diagnosisCoding: ProjectSeed {
        ProjectSeed(
            name: "Diagnosis coding: clinical notes (taxonomy)",
            schemaJSON: """
            {"fields": [{"name": "diagnosis", "label": "Primary diagnosis", "type": "taxonomy", "taxonomy": "diseases", "leaf_only": true},
                        {"name": "secondary", "label": "Other diagnoses", "type": "taxonomy", "taxonomy": "diseases", "multiple": true, "max_terms": 3, "required": false}]}
            """,
            guidelines: """
            Code each note with the most specific term of the disease taxonomy. Type a name or a synonym \
            ("heart attack", "COPD") in the search box; use the arrows and Enter, or click. Browse with › when you \
            are not sure of the name. The notes are invented for this demo.
            """,
            tasks: [
                task("note-1", ["note": .string("58-year-old woman, biopsy of a 2 cm mass in the left breast shows infiltrating ductal carcinoma. History of high blood pressure on amlodipine.")]),
                task("note-2", ["note": .string("Crushing chest pain for 40 minutes, ST elevation in V1-V4, troponin raised. Known type 2 diabetes.")]),
                task("note-3", ["note": .string("Long-time smoker with worsening breathlessness and a productive cough every winter; spirometry confirms COPD.")]),
                task("note-4", ["note": .string("Irregularly irregular pulse of 130, no P waves on ECG. Started on anticoagulation.")]),
                task("note-5", ["note": .string("Tired, cold all the time, weight gain; TSH high and free T4 low. Started levothyroxine.")]),
                task("note-6", ["note": .string("Burning on urination and frequency for two days, urine dipstick positive for nitrites.")]),
            ],
            taxonomies: [("diseases", diseaseTaxonomy)])
    }

    static var ticketTriage: ProjectSeed {
        ProjectSeed(
            name: "Ticket triage (pre-labelled by the stand-in model)",
            schemaJSON: """
            {"fields": [{"name": "intent", "label": "Intent", "type": "choice",
                         "options": [{"value": "billing", "label": "Billing"}, {"value": "bug", "label": "Bug"},
                                     {"value": "account", "label": "Account access"}, {"value": "feature", "label": "Feature request"}]},
                        {"name": "sentiment", "label": "Sentiment", "type": "choice", "options": ["positive", "negative", "neutral", "mixed"]}]}
            """,
            guidelines: """
            Each ticket was pre-labelled on import by a pre-label endpoint: **Gloss's built-in stand-in model**, \
            which only looks for option names in the text. Its suggestion fills the form; correct it wherever it \
            is wrong (it often is). The export keeps both the pre-label and your answer.
            """,
            tasks: [
                task("ticket-1", ["text": .string("I was charged twice for my billing cycle in March. Please refund the second payment.")]),
                task("ticket-2", ["text": .string("The export button does nothing since the last update. Looks like a bug, and I have a deadline.")]),
                task("ticket-3", ["text": .string("I can't log in: the password reset e-mail never arrives. Locked out of my account.")]),
                task("ticket-4", ["text": .string("Love the app! It would be great to have a dark mode, that's my only feature request.")]),
                task("ticket-5", ["text": .string("Your invoice shows the wrong company name, and support hasn't replied in a week. Not happy.")]),
            ],
            standInEndpoints: [("keyword-model", .prelabel, "/stand-in-model/prelabel")])
    }
}
