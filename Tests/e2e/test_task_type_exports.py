"""The task-type exports load in the tools ML teams train with: CoNLL in seqeval, preference pairs and
unpaired judgements in Hugging Face `datasets` (the shapes TRL's DPO and KTO trainers read), and the
ratings and MQM tables in the csv module."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from gloss_e2e import Api, GlossServer, create_account, parse_jsonl


def annotate(server: GlossServer, schema: dict[str, Any], tasks: list[dict[str, Any]], values: dict[str, Any]) -> tuple[Api, str]:
    """A project with `tasks`, each answered by one worker with values[external_id]; returns (requester, project id)."""
    requester = Api(server.url, create_account(server, f"r{id(schema)}@x.test", "requester", org="X"))
    worker = Api(server.url, create_account(server, f"w{id(schema)}@x.test", "worker"))
    project_id = requester.create_project("Typed", schema=schema)["id"]
    assert requester.import_tasks(project_id, tasks) == len(tasks)
    while True:
        leased = worker.get(f"/api/v1/projects/{project_id}/next", expect=(200, 204))
        if leased.status_code == 204:
            return requester, project_id
        task = leased.json()
        worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": values[task["external_id"]]}, expect=201)


def conll_sequences(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """Sentences of (tokens, tags) from a two-column CoNLL file with -DOCSTART- lines."""
    tokens: list[list[str]] = []
    tags: list[list[str]] = []
    sentence_tokens: list[str] = []
    sentence_tags: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if sentence_tokens:
                tokens.append(sentence_tokens)
                tags.append(sentence_tags)
                sentence_tokens, sentence_tags = [], []
            continue
        token, tag = line.rsplit(" ", 1)
        if token == "-DOCSTART-":
            continue
        sentence_tokens.append(token)
        sentence_tags.append(tag)
    assert not sentence_tokens, "the file ends with a blank line after the last sentence"
    return tokens, tags


def test_conll_export_scores_in_seqeval(gloss_server: Any) -> None:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2

    server = gloss_server()
    text = "Maria Okafor of Lumen Grid visited Tucson. 北京 welcomed Dr. Aiko Tanaka 👍🏽 today."
    schema = {"fields": [{"name": "entities", "type": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]}]}

    def span(sid: str, surface: str, label: str) -> dict[str, Any]:
        start = text.index(surface)  # Python str offsets are code points, as the API counts them
        return {"id": sid, "start": start, "end": start + len(surface), "label": label, "text": surface}

    gold = [span("s1", "Maria Okafor", "PER"), span("s2", "Lumen Grid", "ORG"), span("s3", "Tucson", "LOC"),
            span("s4", "北京", "LOC"), span("s5", "Aiko Tanaka", "PER")]
    requester, project_id = annotate(server, schema, [{"external_id": "t1", "data": {"text": text}}], {"t1": {"entities": gold}})
    tokens, tags = conll_sequences(requester.export(project_id, "conll"))
    assert [t for sentence in tokens for t in sentence] == [
        "Maria", "Okafor", "of", "Lumen", "Grid", "visited", "Tucson", ".",
        "北京", "welcomed", "Dr", ".", "Aiko", "Tanaka", "👍🏽", "today", "."]
    # seqeval reads the tags as strict IOB2 and finds the five entities, with their surface forms.
    flat_tokens = [t for sentence in tokens for t in sentence]
    entities = get_entities([t for sentence in tags for t in sentence])
    found = {(label, " ".join(flat_tokens[start:end + 1])) for label, start, end in entities}
    assert found == {("PER", "Maria Okafor"), ("ORG", "Lumen Grid"), ("LOC", "Tucson"), ("LOC", "北京"), ("PER", "Aiko Tanaka")}
    assert f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0
    report = classification_report(tags, tags, mode="strict", scheme=IOB2, output_dict=True)
    assert report["PER"]["support"] == 2 and report["LOC"]["support"] == 2 and report["ORG"]["support"] == 1


def test_preference_exports_load_in_datasets(gloss_server: Any, tmp_path: Path) -> None:
    from datasets import load_dataset

    server = gloss_server()
    schema = {"fields": [
        {"name": "quality", "type": "rating", "items": "responses",
         "dimensions": [{"name": "helpfulness", "min": 1, "max": 7}, {"name": "tone", "min": 1, "max": 7}]},
        {"name": "order", "type": "ranking", "items": "responses"},
        {"name": "issues", "type": "flags", "items": "responses", "flags": ["unsafe", "factual_error"]},
    ]}
    responses = ["Refunded the duplicate charge; 5 business days.", "Ask your bank.", "Which card did you use?"]
    chat = [{"role": "system", "content": "You are a support agent."}, {"role": "user", "content": "I was charged twice."}]
    tasks = [
        {"external_id": "plain", "data": {"prompt": "I was charged twice.", "responses": responses}},
        {"external_id": "chat", "data": {"messages": chat, "responses": responses}},
    ]
    value = {
        "quality": [{"scores": {"helpfulness": 7, "tone": 6}}, {"scores": {"helpfulness": 2, "tone": 3}}, {"scores": {"helpfulness": 5, "tone": 6}}],
        "order": [1, 3, 2],
        "issues": [[], ["factual_error"], []],
    }
    requester, project_id = annotate(server, schema, tasks, {"plain": value, "chat": value})

    dpo_file = tmp_path / "dpo.jsonl"
    dpo_file.write_text(requester.export(project_id, "dpo"), encoding="utf-8")
    dpo = load_dataset("json", data_files=str(dpo_file), split="train")
    assert dpo.num_rows == 6  # three pairs from each ranking of three
    assert set(dpo.column_names) == {"prompt", "chosen", "rejected"}
    rows = dpo.to_list()
    plain = [row for row in rows if isinstance(row["prompt"], str)]
    conversational = [row for row in rows if isinstance(row["prompt"], list)]
    assert [(row["chosen"], row["rejected"]) for row in plain] == [
        (responses[0], responses[2]), (responses[0], responses[1]), (responses[2], responses[1])]
    # The conversational shape: the prompt is the chat, each completion one assistant message.
    assert conversational[0]["prompt"] == chat
    assert conversational[0]["chosen"] == [{"role": "assistant", "content": responses[0]}]

    kto_file = tmp_path / "kto.jsonl"
    kto_file.write_text(requester.export(project_id, "kto"), encoding="utf-8")
    kto = load_dataset("json", data_files=str(kto_file), split="train")
    assert set(kto.column_names) == {"prompt", "completion", "label"}
    assert kto.num_rows == 6
    assert [row["label"] for row in kto.to_list()] == [True, False, True, True, False, True]

    ratings = list(csv.DictReader(io.StringIO(requester.export(project_id, "ratings_csv"))))
    assert len(ratings) == 6
    assert [(row["candidate"], row["helpfulness"], row["tone"]) for row in ratings[:3]] == [("A", "7", "6"), ("B", "2", "3"), ("C", "5", "6")]


def test_mqm_export_matches_the_documented_formula(gloss_server: Any) -> None:
    server = gloss_server()
    source = "Refunds reach your card in 5 to 10 business days."  # ten words
    target = "Los reembolsos llegan a su tarjeta en 5 a 10 días."
    schema = {"fields": [{"name": "errors", "type": "mqm", "source": "en", "target": "es",
                          "severities": {"minor": 1, "major": 5, "critical": 25}}]}
    days = target.index("días")
    errors = [{"start": days, "end": days + 4, "category": "accuracy", "severity": "major", "comment": "business days"},
              {"start": 0, "end": 3, "category": "style", "severity": "minor"}]
    requester, project_id = annotate(server, schema, [{"external_id": "m", "data": {"en": source, "es": target}}], {"m": {"errors": errors}})
    rows = list(csv.DictReader(io.StringIO(requester.export(project_id, "mqm_csv"))))
    expected = 100 - 100 * (5 + 1) / len(source.split())
    assert [row["text"] for row in rows] == ["días", "Los"]
    assert all(float(row["mqm_score"]) == pytest.approx(expected) for row in rows)
    assert rows[0]["source_words"] == "10"
    record = parse_jsonl(requester.export(project_id, "jsonl"))[0]
    assert record["annotations"][0]["mqm_score"]["errors"] == pytest.approx(expected)


def test_cli_exports_the_new_formats(gloss_server: Any, tmp_path: Path) -> None:
    server = gloss_server()
    schema = {"fields": [{"name": "pick", "type": "pairwise", "items": "responses", "reason": "none"}]}
    requester, project_id = annotate(server, schema,
                                     [{"external_id": "p", "data": {"prompt": "Hi", "responses": ["Hello!", "Go away."]}}],
                                     {"p": {"pick": {"winner": "a", "strength": 3}}})
    output = tmp_path / "pairs.jsonl"
    server.cli("export", "--project", project_id, "--format", "dpo", "--output", str(output))
    assert parse_jsonl(output.read_text(encoding="utf-8")) == [{"prompt": "Hi", "chosen": "Hello!", "rejected": "Go away."}]
