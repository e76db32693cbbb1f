"""The audio exports load in the reference tools, and `gloss quality` scores them as those tools do.

Two projects on the demo call (Public/demo/conversation.wav), one task each; worker A labels project A with the
truth (five turns, their words, the noise burst), worker B labels project B badly: shifted boundaries, a missed
turn, a turn given to the wrong speaker, a false alarm, and words substituted, left out and added. Then:

- RTTM (the latest annotation of each task) reads back in `pyannote.database.util.load_rttm` as the turns
  that were submitted; the noise field (not `speakers`) is not in it;
- `gloss quality der A.rttm B.rttm` equals pyannote.metrics' `DiarizationErrorRate` to 1e-9, without a collar
  and with `--collar 0.5` / `collar=0.5`, also per component (miss, false alarm, confusion, total);
- `gloss quality wer` on the two transcripts (each turn's text in time order) equals `jiwer.process_words`:
  hits, substitutions, deletions, insertions and WER;
- project A's WebVTT export reads in webvtt-py with one cue per turn, to the millisecond, with the speaker as
  the cue's voice and the turn's words as its text.

Contract: docs/formats.md (RTTM, WebVTT) and docs/quality.md (DER, WER)."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import warnings
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest

from gloss_e2e import Api, GlossServer, create_account, parse_jsonl, repo_root

DEMO_WAV = repo_root() / "Public" / "demo" / "conversation.wav"
STEM = "conversation"

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "speakers", "type": "segments", "label": "Speakers", "audio": "audio", "speakers": True,
         "labels": [{"value": "Agent", "hotkey": "a"}, {"value": "Caller", "hotkey": "c"}]},
        {"name": "transcript", "type": "transcript", "label": "Transcript", "segments": "speakers"},
        {"name": "noise", "type": "segments", "label": "Noise", "audio": "audio", "required": False, "overlap": True,
         "labels": [{"value": "traffic", "hotkey": "t"}, {"value": "music", "hotkey": "m"}]},
    ]
}

# (speaker, start, end, words): the turns of the demo call (worker A) ...
TRUTH = [
    ("Agent", 0.5, 3.858, "thank you for calling gloss support how can i help you today"),
    ("Caller", 4.358, 7.46, "hi my order has not arrived and it has been two weeks"),
    ("Agent", 7.96, 11.54, "i am sorry to hear that can you give me the order number"),
    ("Caller", 12.04, 14.488, "yes it is four four seven two"),
    ("Agent", 14.988, 17.948, "thank you i will send a replacement today"),
]
# ... and worker B's: boundaries shifted, the third turn missed, the fourth given to the Agent, a false alarm
# before the first turn; words substituted, left out and added, with conventions markup that WER leaves out.
WORKER_B = [
    ("Caller", 0.05, 0.42, "hello"),  # false alarm (nobody speaks before 0.5 s)
    ("Agent", 0.62, 3.71, "%um thank you for calling gloss how can i help you [noise] today"),
    ("Caller", 4.2, 7.6, "hi my order has not arrived it has been three weeks now"),
    ("Agent", 12.1, 14.3, "yes it is four four seven"),  # the Caller's turn, given to the Agent
    ("Agent", 15.1, 17.9, "thank you i will send the replacement today"),
]
NOISE = [{"id": "n1", "label": "traffic", "start": 7.51, "end": 8.71}]


def value_of(turns: list[tuple[str, float, float, str]]) -> dict[str, Any]:
    speakers = [{"id": f"s{i + 1}", "label": label, "start": start, "end": end} for i, (label, start, end, _) in enumerate(turns)]
    transcript = [{"segment": f"s{i + 1}", "text": text} for i, (_, _, _, text) in enumerate(turns)]
    return {"speakers": speakers, "transcript": transcript, "noise": NOISE}


def project_annotated_by(server: GlossServer, requester: Api, worker_email: str, name: str, value: dict[str, Any]) -> str:
    """A project on the demo WAV with one task, which the worker answers over the API with `value`."""
    project_id = requester.create_project(name, schema=SCHEMA)["id"]
    part = {"file": ("conversation.wav", DEMO_WAV.read_bytes(), "audio/wav")}
    media = requester.post(f"/api/v1/projects/{project_id}/media", files=part, expect=201).json()["media"]
    assert len(media) == 1 and 18.3 < media[0]["duration_s"] < 18.5, media
    assert requester.import_tasks(project_id, [{"external_id": "call-1", "data": {"audio": media[0]["url"]}}]) == 1
    worker = Api(server.url, create_account(server, worker_email, "worker"))
    task = worker.get(f"/api/v1/projects/{project_id}/next", expect=200).json()
    worker.post(f"/api/v1/tasks/{task['id']}/annotations", json={"value": value}, expect=201)
    assert worker.get(f"/api/v1/projects/{project_id}/next", expect=(200, 204)).status_code == 204
    return project_id


def gloss_quality(gloss_bin: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run([str(gloss_bin), "quality", *args], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"gloss quality {' '.join(args)}: status {result.returncode}\n{result.stderr}"
    return json.loads(result.stdout)


def turns_of(annotation: Any) -> list[tuple[str, float, float]]:
    return sorted(((str(label), segment.start, segment.end) for segment, _, label in annotation.itertracks(yield_label=True)),
                  key=lambda turn: (turn[1], turn[2]))


def plain_words(text: str) -> str:
    """The words WER compares: tags and hesitations taken out (the texts are otherwise lowercase words)."""
    return " ".join(word for word in re.sub(r"\[[^\]]*\]", " ", text).split() if not word.startswith("%"))


def milliseconds(stamp: str) -> int:
    hours, minutes, seconds = stamp.replace(",", ".").split(":")
    whole, millis = seconds.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(whole)) * 1000 + int(millis)


def test_rttm_der_wer_and_webvtt_match_the_reference_tools(
    gloss_server: Callable[..., GlossServer], gloss_bin: Path, backend: str, tmp_path: Path
) -> None:
    import jiwer
    import webvtt
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    server = gloss_server(backend=backend)
    requester = Api(server.url, create_account(server, "req-audio@x.test", "requester", org="X"))
    project_a = project_annotated_by(server, requester, "truth@x.test", "Call A", value_of(TRUTH))
    project_b = project_annotated_by(server, requester, "rough@x.test", "Call B", value_of(WORKER_B))

    # RTTM: one line per speaker turn (the noise field is not speakers), read back by pyannote as submitted.
    files: dict[str, Path] = {}
    for name, project_id, turns in (("a", project_a, TRUTH), ("b", project_b, WORKER_B)):
        text = requester.export(project_id, "rttm")
        lines = [line.split() for line in text.splitlines() if line.strip()]
        assert len(lines) == len(turns), text
        assert all(len(line) == 10 and line[0] == "SPEAKER" and line[1] == STEM and line[2] == "1" for line in lines), text
        files[name] = tmp_path / f"{name}.rttm"
        files[name].write_text(text, encoding="utf-8")
        loaded = load_rttm(str(files[name]))
        assert list(loaded) == [STEM], loaded
        read_back = turns_of(loaded[STEM])
        assert [label for label, _, _ in read_back] == [label for label, _, _, _ in turns], read_back
        for (label, start, end), (_, want_start, want_end, _) in zip(read_back, turns):
            assert start == pytest.approx(want_start, abs=1e-6) and end == pytest.approx(want_end, abs=1e-6), (label, start, end)
    reference = load_rttm(str(files["a"]))[STEM]
    hypothesis = load_rttm(str(files["b"]))[STEM]

    # DER: pyannote.metrics (its UEM approximated from the two files, as gloss does) against gloss quality der.
    for collar in (0.0, 0.5):
        metric = DiarizationErrorRate(collar=collar)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*uem.*approximated.*")
            detail = metric(reference, hypothesis, detailed=True)
        args = ["der", str(files["a"]), str(files["b"])] + (["--collar", str(collar)] if collar else [])
        ours = gloss_quality(gloss_bin, *args)
        per_file = ours["files"][STEM]
        want = detail["diarization error rate"]
        assert 0.05 < want < 1, f"the rough diarization should have a clear error: {detail}"
        assert abs(ours["der"] - want) <= 1e-9, (collar, ours, detail)
        assert abs(per_file["der"] - want) <= 1e-9, (collar, per_file, detail)
        for ours_key, theirs_key in (("total", "total"), ("miss", "missed detection"), ("false_alarm", "false alarm"),
                                     ("confusion", "confusion")):
            assert abs(per_file[ours_key] - detail[theirs_key]) <= 1e-9, (collar, ours_key, per_file, detail)
        assert per_file["mapping"] == {"Agent": "Agent", "Caller": "Caller"}, per_file
        print(f"DER collar={collar}: gloss {ours['der']:.6f}, pyannote {want:.6f}")

    # WER: each transcript's text in time order (from the JSONL export), scored by jiwer and by gloss.
    texts: dict[str, str] = {}
    for name, project_id, turns in (("a", project_a, TRUTH), ("b", project_b, WORKER_B)):
        records = parse_jsonl(requester.export(project_id, "jsonl"))
        assert len(records) == 1 and len(records[0]["annotations"]) == 1, records
        value = records[0]["annotations"][0]["value"]
        assert value == value_of(turns), value
        starts = {region["id"]: region["start"] for region in value["speakers"]}
        ordered = sorted(value["transcript"], key=lambda entry: starts[entry["segment"]])
        texts[name] = " ".join(entry["text"] for entry in ordered)
        (tmp_path / f"{name}.txt").write_text(texts[name], encoding="utf-8")
    measured = jiwer.process_words(plain_words(texts["a"]), plain_words(texts["b"]))
    assert measured.substitutions and measured.deletions and measured.insertions, measured
    ours = gloss_quality(gloss_bin, "wer", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert (ours["hits"], ours["substitutions"], ours["deletions"], ours["insertions"]) == (
        measured.hits, measured.substitutions, measured.deletions, measured.insertions), (ours, measured)
    assert abs(ours["wer"] - measured.wer) <= 1e-12, (ours, measured.wer)
    print(f"WER: gloss {ours['wer']:.6f}, jiwer {measured.wer:.6f}")

    # WebVTT of project A: one cue per turn, to the millisecond, the speaker as the voice, the words as text.
    response = requester.get(f"/api/v1/projects/{project_a}/export", params={"format": "webvtt"}, expect=200)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"{STEM}.vtt"], archive.namelist()
    vtt_path = tmp_path / f"{STEM}.vtt"
    vtt_path.write_bytes(archive.read(f"{STEM}.vtt"))
    captions = webvtt.read(str(vtt_path)).captions
    assert len(captions) == len(TRUTH), [c.raw_text for c in captions]
    for caption, (label, start, end, text) in zip(captions, TRUTH):
        assert (milliseconds(caption.start), milliseconds(caption.end)) == (round(start * 1000), round(end * 1000)), caption
        assert caption.voice == label, caption.raw_text
        assert html.unescape(caption.text) == text, caption.raw_text
