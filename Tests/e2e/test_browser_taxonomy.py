"""The taxonomy widget in a real browser: the requester imports a small disease taxonomy as CSV, a worker browses
it from the roots, then finds "Breast Neoplasms" through its synonym "Breast Cancer" by typing, picks it with the
keyboard and submits; the requester's export holds the term with its path. A term name with markup shows as text."""

from __future__ import annotations

from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import XSS_PAYLOAD, current_task_id, sign_in

WORKER = "coder@x.test"

# Three roots, three levels; synonyms separated by "|". D20's name is markup that must never run.
DISEASES_CSV = "\n".join([
    "id,parent,name,synonyms",
    "D1,,Neoplasms,Tumors|Neoplasia",
    "D2,D1,Neoplasms by Site,",
    "D3,D1,Neoplasms by Histologic Type,",
    "D4,D3,Carcinoma,Carcinomas",
    "D5,D3,Lymphoma,Lymphomas",
    "D6,D3,Sarcoma,",
    "D7,D2,Breast Neoplasms,Breast Cancer|Breast Tumors|Mammary Cancer",
    "D8,D2,Lung Neoplasms,Lung Cancer|Pulmonary Neoplasms",
    "D9,D2,Colorectal Neoplasms,Colorectal Cancer|Bowel Cancer",
    "D10,,Cardiovascular Diseases,",
    "D11,D10,Heart Diseases,Cardiac Diseases",
    "D12,D11,Myocardial Infarction,Heart Attack",
    "D13,D11,Heart Failure,Cardiac Failure",
    "D14,D10,Hypertension,High Blood Pressure",
    "D15,,Skin and Connective Tissue Diseases,",
    "D16,D15,Breast Diseases,Mammary Diseases",
    "D17,D16,Fibrocystic Breast Disease,",
    "D18,D15,Skin Diseases,Dermatoses",
    "D19,D18,Psoriasis,",
    f"D20,D18,{XSS_PAYLOAD},",
]) + "\n"

BREAST_NEOPLASMS = {
    "id": "D7",
    "path": ["D1", "D2", "D7"],
    "names": ["Neoplasms", "Neoplasms by Site", "Breast Neoplasms"],
}


def test_taxonomy_term_found_by_synonym_and_picked_with_the_keyboard(
    gloss_server: Callable[..., GlossServer], page: Page
) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "req-taxonomy@x.test", "requester", org="X"))
    schema = {"fields": [{"name": "diagnosis", "type": "taxonomy", "taxonomy": "diseases"}]}
    project_id = requester.create_project("Diagnoses", schema=schema)["id"]
    imported = requester.request(
        "PUT",
        f"/api/v1/projects/{project_id}/taxonomies/diseases",
        data=DISEASES_CSV.encode(),
        headers={"Content-Type": "text/csv"},
        expect=200,
    ).json()
    assert (imported["name"], imported["terms"], imported["roots"]) == ("diseases", 20, 3), imported
    assert requester.import_tasks(project_id, [{"data": {"report": "Lump in the left breast; biopsy: carcinoma."}}]) == 1

    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    field = page.locator('.field-taxonomy[data-field="diagnosis"]')
    box = field.locator('input.taxonomy-input[role="combobox"]')
    listbox = field.locator('ul.taxonomy-results[role="listbox"]')
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id") or "")

    def option(term_id: str) -> Any:
        return field.locator(f'li.taxonomy-option[role="option"][data-term-id="{term_id}"]')

    # An empty box lists the roots; › opens a term's narrower terms, down to the one named with markup.
    box.click()
    for root in ("D1", "D10", "D15"):
        expect(option(root)).to_be_visible()
    expect(field.locator('li.taxonomy-option[role="option"]')).to_have_count(3)
    option("D15").locator("button.taxonomy-children").click()
    option("D18").locator("button.taxonomy-children").click()
    expect(field.locator(".taxonomy-crumb-current")).to_have_text("Skin Diseases")
    expect(option("D20").locator(".taxonomy-option-name")).to_have_text(XSS_PAYLOAD)
    expect(field.locator("img")).to_have_count(0)

    # Typing searches names and synonyms: "breast canc" finds Breast Neoplasms through "Breast Cancer".
    box.press_sequentially("breast canc", delay=40)
    # The list is marked stale from the first key until the answer to the whole query is shown.
    expect(field.locator("ul.taxonomy-results.stale")).to_have_count(0)
    expect(option("D7").locator(".taxonomy-option-name")).to_have_text("Breast Neoplasms")
    expect(option("D7").locator(".taxonomy-option-matched")).to_have_text("matched: Breast Cancer")
    expect(option("D7").locator(".taxonomy-option-path")).to_have_text("Neoplasms › Neoplasms by Site")

    # The keyboard: ↓ until Breast Neoplasms is the active option, then Enter picks it (and does not submit).
    ids = [item.get_attribute("data-term-id") for item in field.locator('li.taxonomy-option[role="option"]').all()]
    assert "D7" in ids, ids
    for _ in range(ids.index("D7") + 1):
        box.press("ArrowDown")
    expect(option("D7")).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option("D7").get_attribute("id") or "")
    box.press("Enter")
    chip = field.locator('li.taxonomy-chip[data-term-id="D7"]')
    expect(chip.locator(".taxonomy-chip-name")).to_have_text("Breast Neoplasms")
    expect(chip.locator(".taxonomy-chip-label")).to_have_text("Neoplasms › Neoplasms by Site › Breast Neoplasms")
    expect(chip.locator('button.taxonomy-chip-remove[aria-label="Remove Breast Neoplasms"]')).to_have_count(1)
    expect(box).to_have_value("")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert current_task_id(page) == task_id
    expect(page.locator("#done")).to_be_hidden()

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()
    assert dialogs == [], f"a term name ran as code: {dialogs}"

    records = parse_jsonl(requester.export(project_id, "jsonl"))
    annotations = [a for record in records for a in record["annotations"] if a["worker"] == WORKER]
    assert len(annotations) == 1, records
    assert annotations[0]["value"] == {"diagnosis": BREAST_NEOPLASMS}, annotations[0]["value"]
