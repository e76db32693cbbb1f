"""The chat widget in a real browser against the server's stand-in model: a worker chats two turns, picks the
better reply each time (editing one), reloads in between without losing the conversation, and submits; the
requester's jsonl export holds both turns and the dpo export one conversational pair per turn."""

from __future__ import annotations

from typing import Any, Callable

from playwright.sync_api import Page, expect

from gloss_e2e import DEFAULT_PASSWORD, Api, GlossServer, create_account, parse_jsonl
from test_browser_labeling import current_task_id, sign_in

WORKER = "chatter@x.test"
SCHEMA: dict[str, Any] = {
    "fields": [{"name": "conversation", "type": "chat", "endpoint": "assistant", "min_turns": 2, "max_turns": 3}]
}
FIRST = "Plan a weekend in Lisbon for <b>two</b>."
SECOND = "Make it cheaper, please."
EDITED = "Day 1: Alfama on foot. Day 2: the free museums on Sunday morning."
FIRST_REASON = "B gives a concrete plan for both days."
SECOND_REASON = "A keeps the plan and cuts the costs."


def test_chat_two_turns_survive_a_reload_and_export(gloss_server: Callable[..., GlossServer], page: Page) -> None:
    server = gloss_server()
    requester = Api(server.url, create_account(server, "chat-req@x.test", "requester", org="X"))
    project_id = requester.create_project("Chat", schema=SCHEMA)["id"]
    endpoint = requester.post(f"/api/v1/projects/{project_id}/endpoints", expect=201, json={
        "name": "assistant", "kind": "chat", "url": f"{server.url}/stand-in-model/v1/chat/completions",
        "model": "stand-in", "api_key": "sk-test",
    }).json()
    assert endpoint["has_key"] is True and "api_key" not in endpoint, endpoint
    assert requester.import_tasks(project_id, [{"data": {"topic": "Plan a trip"}}]) == 1

    create_account(server, WORKER, "worker")
    sign_in(page, server, WORKER, DEFAULT_PASSWORD)
    page.goto(f"{server.url}/projects/{project_id}/label")
    task_id = current_task_id(page)
    chat = page.locator('.field-chat[data-field="conversation"]')
    expect(chat.locator(".chat-progress")).to_have_text("Turn 1 of 3 (at least 2)")

    # Turn 1: send, pick B (better), give a reason, keep the reply as it is.
    chat.locator("textarea.chat-input").fill(FIRST)
    chat.locator("button.chat-send").click()
    expect(chat.locator("section.chat-pending")).to_be_visible()
    expect(chat.locator(".chat-composer")).to_be_hidden()
    expect(chat.locator(".chat-pending .chat-user .chat-text")).to_have_text(FIRST)
    expect(chat.locator(".chat-pending .chat-user b")).to_have_count(0)  # the message is text, never HTML
    expect(chat.locator(".chat-candidate")).to_have_count(2)
    expect(chat.locator('.chat-candidate[data-candidate="a"] .chat-text')).not_to_be_empty()
    expect(chat.locator('.chat-candidate[data-candidate="b"] .chat-text')).not_to_be_empty()
    chat.locator('button.chat-pick[data-winner="b"]').click()
    expect(chat.locator('button.chat-pick[data-winner="b"]')).to_have_attribute("aria-pressed", "true")
    chat.locator('button.chat-strength-option[data-strength="2"]').click()
    chat.locator("textarea.chat-reason").fill(FIRST_REASON)
    chat.locator("button.chat-continue").click()
    expect(chat.locator("li.chat-turn")).to_have_count(1)
    expect(chat.locator(".chat-progress")).to_have_text("Turn 2 of 3 (at least 2)")

    # A reload resumes the conversation the server kept.
    page.reload()
    assert current_task_id(page) == task_id
    chat = page.locator('.field-chat[data-field="conversation"]')
    expect(chat.locator(".chat-progress")).to_have_text("Turn 2 of 3 (at least 2)")
    first_turn = chat.locator('li.chat-turn[data-turn="1"]')
    expect(chat.locator("li.chat-turn")).to_have_count(1)
    expect(first_turn.locator(".chat-user .chat-text")).to_have_text(FIRST)
    expect(first_turn.locator(".chat-reply")).to_have_attribute("data-winner", "b")
    expect(first_turn.locator(".chat-reply")).to_have_attribute("data-edited", "false")

    # Turn 2: send with ctrl+enter, pick A with the keyboard, edit it.
    chat.locator("textarea.chat-input").fill(SECOND)
    chat.locator("textarea.chat-input").press("Control+Enter")
    expect(chat.locator("section.chat-pending")).to_be_visible()
    page.keyboard.press("a")  # the focus is on the pending turn, not in a text area
    expect(chat.locator('button.chat-pick[data-winner="a"]')).to_have_attribute("aria-pressed", "true")
    chat.locator('button.chat-strength-option[data-strength="3"]').click()
    chat.locator("textarea.chat-reason").fill(SECOND_REASON)
    chat.locator("textarea.chat-edit").fill(EDITED)
    expect(chat.locator(".chat-edit-status")).to_have_text("edited")
    chat.locator("button.chat-continue").click()
    expect(chat.locator("li.chat-turn")).to_have_count(2)
    second_turn = chat.locator('li.chat-turn[data-turn="2"]')
    expect(second_turn.locator(".chat-reply .chat-text")).to_have_text(EDITED)
    expect(second_turn.locator(".chat-reply .chat-edited")).to_have_text("edited")

    page.locator("#submit-button").click()
    expect(page.locator("#done")).to_be_visible()

    # The jsonl export: both turns as the server kept them.
    records = parse_jsonl(requester.export(project_id, "jsonl"))
    annotations = [a for record in records for a in record["annotations"] if a["worker"] == WORKER]
    assert len(annotations) == 1, records
    turns = annotations[0]["value"]["conversation"]["turns"]
    assert len(turns) == 2, turns
    one, two = turns
    assert (one["user"], one["winner"], one["strength"], one["reason"], one["edited"]) == (FIRST, "b", 2, FIRST_REASON, False), one
    assert len(one["candidates"]) == 2 and one["reply"] == one["candidates"][1], one
    assert (two["user"], two["winner"], two["strength"], two["reason"], two["edited"]) == (SECOND, "a", 3, SECOND_REASON, True), two
    assert two["reply"] == EDITED and len(two["candidates"]) == 2, two

    # The dpo export: one conversational pair per turn; the prompt is the chat so far.
    pairs = parse_jsonl(requester.export(project_id, "dpo"))
    assert len(pairs) == 2, pairs
    for pair in pairs:
        assert set(pair) == {"prompt", "chosen", "rejected"}, pair
        assert all(isinstance(pair[key], list) for key in ("prompt", "chosen", "rejected")), pair

    def assistant(text: str) -> list[dict[str, str]]:
        return [{"role": "assistant", "content": text}]

    assert pairs[0]["prompt"] == [{"role": "user", "content": FIRST}], pairs[0]
    assert (pairs[0]["chosen"], pairs[0]["rejected"]) == (assistant(one["reply"]), assistant(one["candidates"][0])), pairs[0]
    assert pairs[1]["prompt"] == [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": one["reply"]},
        {"role": "user", "content": SECOND},
    ], pairs[1]
    assert (pairs[1]["chosen"], pairs[1]["rejected"]) == (assistant(EDITED), assistant(two["candidates"][1])), pairs[1]
