"""`gloss quality` against the reference implementations: Krippendorff's alpha against the `krippendorff`
package (to 1e-9), Dawid-Skene and majority vote against crowd-kit (the same labels except on ties).

The data are generated with seeded numpy generators; the real CLI reads them as JSON Lines.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import pytest
from crowdkit.aggregation import DawidSkene, MajorityVote
from sklearn.metrics import cohen_kappa_score

# crowd-kit calls pandas in ways pandas 3 deprecates; those warnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::Warning:crowdkit")


def run_quality(gloss_bin: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(gloss_bin), "quality", *args], input=stdin, capture_output=True, text=True, timeout=300,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def quality_json(gloss_bin: Path, *args: str, stdin: str | None = None) -> dict[str, Any]:
    result = run_quality(gloss_bin, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_jsonl(path: Path, rows: list[tuple[Any, Any, Any]]) -> str:
    text = "".join(json.dumps({"task": t, "worker": w, "label": l}) + "\n" for t, w, l in rows)
    path.write_text(text, encoding="utf-8")
    return text


# --- Krippendorff's alpha ---------------------------------------------------------------------------

def reliability_case(seed: int, metric: str, coders: int, units: int, missing: float) -> np.ndarray:
    """A coders × units matrix (NaN: missing) with real but imperfect agreement in it."""
    rng = np.random.default_rng(seed)
    if metric == "interval":
        # Half-point scores around 10: a few dozen distinct values (the package's memory grows with their square).
        truth = rng.normal(10, 3, units)
        noise = rng.uniform(0.3, 3, coders)
        data = np.round(2 * (truth[None, :] + rng.normal(0, 1, (coders, units)) * noise[:, None])) / 2
    else:
        classes = 6 if metric == "nominal" else 7
        truth = rng.integers(0, classes, units)
        accuracy = rng.uniform(0.3, 0.9, coders)
        keep = rng.random((coders, units)) < accuracy[:, None]
        if metric == "ordinal":   # errors land near the truth
            other = np.clip(truth[None, :] + rng.choice([-2, -1, 1, 2], (coders, units)), 0, classes - 1)
        else:
            other = rng.integers(0, classes, (coders, units))
        data = np.where(keep, truth[None, :], other).astype(float) + (1 if metric == "ordinal" else 0)
    data[rng.random((coders, units)) < missing] = np.nan
    return data


NOMINAL_NAMES = ["positive", "negative", "neutral", "mixed", "off-topic", "spam"]

ALPHA_CASES = [
    # (seed, metric, coders, units, missing share)
    (1, "nominal", 2, 300, 0.0),
    (2, "nominal", 5, 1200, 0.3),
    (3, "nominal", 8, 2000, 0.6),
    (4, "ordinal", 3, 800, 0.2),
    (5, "ordinal", 7, 1500, 0.5),
    (6, "interval", 2, 500, 0.1),
    (7, "interval", 6, 2000, 0.4),
]


@pytest.mark.parametrize("seed,metric,coders,units,missing", ALPHA_CASES)
def test_alpha_matches_krippendorff(gloss_bin: Path, tmp_path: Path, seed: int, metric: str, coders: int,
                                    units: int, missing: float) -> None:
    data = reliability_case(seed, metric, coders, units, missing)

    def task(unit: int) -> Any:
        return unit if unit % 2 else f"unit-{unit}"   # numbers and strings both name tasks

    def label(value: float) -> Any:
        return NOMINAL_NAMES[int(value)] if metric == "nominal" else (int(value) if metric == "ordinal" else float(value))

    rows = []
    order = np.random.default_rng(seed + 100).permutation(coders * units)   # rows in no particular order
    for flat in order:
        coder, unit = divmod(int(flat), units)
        value = data[coder, unit]
        if np.isnan(value):
            if flat % 7 == 0:
                rows.append((task(unit), f"coder-{coder}", None))   # an explicit null is a missing value too
            continue
        rows.append((task(unit), f"coder-{coder}", label(value)))
    path = tmp_path / "labels.jsonl"
    write_jsonl(path, rows)
    first_seen: dict[str, int] = {}   # coders are listed in the order they first give a label
    for _, coder_name, value in rows:
        if value is not None:
            first_seen.setdefault(coder_name, len(first_seen))

    report = quality_json(gloss_bin, "agreement", "--metric", metric, "--bootstrap", "200", str(path))
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    assert report["metric"] == metric
    assert report["coders"] == coders
    assert abs(report["alpha"] - expected) <= 1e-9, (report["alpha"], expected)

    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    assert report["pairable_values"] == int((~np.isnan(pairable)).sum())
    low, high = report["alpha_ci95"]
    assert low <= report["alpha"] <= high and high - low < 0.3

    # Percentage agreement and the coincidence matrix's row sums, from the matrix directly.
    agreeing = total = 0
    for column in pairable.T:
        values = column[~np.isnan(column)]
        _, counts = np.unique(values, return_counts=True)
        agreeing += int((counts * (counts - 1) // 2).sum())
        total += len(values) * (len(values) - 1) // 2
    assert abs(report["percent_agreement"] - agreeing / total) <= 1e-12
    counts = np.array(report["coincidence"]["counts"])
    assert counts.shape == (report["labels"], report["labels"])
    assert abs(counts.sum() - report["pairable_values"]) <= 1e-6
    # Labels in label order (numbers ascending, strings by code point), each with how often it was given.
    present = np.unique(data[~np.isnan(data)])
    expected_labels = sorted(label(value) for value in present)
    assert report["coincidence"]["labels"] == expected_labels
    given = {label(value): int((data == value).sum()) for value in present}
    assert [(entry["label"], entry["count"]) for entry in report["per_label"]] == [(l, given[l]) for l in expected_labels]

    # Cohen's kappa of every pair of coders against scikit-learn's, over the units both rated.
    pairs = {(pair["a"], pair["b"]): pair for pair in report["cohen_kappa"]["pairs"]}
    for a in range(coders):
        for b in range(a + 1, coders):
            both = ~np.isnan(data[a]) & ~np.isnan(data[b])
            if both.sum() < 2:
                continue
            names = sorted([f"coder-{a}", f"coder-{b}"], key=lambda name: first_seen[name])
            pair = pairs[(names[0], names[1])]
            assert pair["n"] == int(both.sum())
            codes = np.searchsorted(present, data[[a, b]][:, both])   # categories as integers for scikit-learn
            assert abs(pair["kappa"] - cohen_kappa_score(codes[0], codes[1])) <= 1e-9
    kappas = [pair["kappa"] for pair in pairs.values()]
    assert abs(report["cohen_kappa"]["mean"] - sum(kappas) / len(kappas)) <= 1e-12


def test_alpha_from_standard_input_and_bad_input(gloss_bin: Path, tmp_path: Path) -> None:
    text = "".join(json.dumps({"task": u, "worker": c, "label": (u + c) % 3}) + "\n" for u in range(50) for c in range(3))
    from_stdin = quality_json(gloss_bin, "agreement", "--bootstrap", "0", "-", stdin=text)
    path = tmp_path / "same.jsonl"
    path.write_text(text, encoding="utf-8")
    assert quality_json(gloss_bin, "agreement", "--bootstrap", "0", str(path)) == from_stdin
    assert from_stdin["alpha_ci95"] is None

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task": "a", "worker": "w1", "label": "x"}\n{"task": "a", "worker": "w2", "label": {"x": 1}}\n',
                   encoding="utf-8")
    result = run_quality(gloss_bin, "agreement", str(bad))
    assert result.returncode == 2
    assert "line 2" in result.stderr and "label" in result.stderr
    assert result.stdout == ""

    ordinal = tmp_path / "words.jsonl"
    ordinal.write_text('{"task": "a", "worker": "w1", "label": 1}\n{"task": "a", "worker": "w2", "label": "high"}\n',
                       encoding="utf-8")
    result = run_quality(gloss_bin, "agreement", "--metric", "ordinal", str(ordinal))
    assert result.returncode == 2 and "line 2" in result.stderr and "label" in result.stderr

    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"task": "a", "worker": "w1", "label": 1}\n\n{"task": "a", "worker": "w1", "label": 2}\n',
                     encoding="utf-8")
    result = run_quality(gloss_bin, "aggregate", str(twice))
    assert result.returncode == 2 and "line 3" in result.stderr and "worker" in result.stderr


# --- Dawid-Skene and majority vote -------------------------------------------------------------------

def crowd_case(seed: int, tasks: int, workers: int, classes: int, spammers: int,
               per_task: tuple[int, int]) -> list[tuple[Any, Any, Any]]:
    """Tasks with a true class, each labelled by a few distinct workers: most fairly accurate, some
    much less, a few spammers who answer at random or always the same."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, tasks)
    accuracy = rng.uniform(0.45, 0.95, workers)
    accuracy[: workers // 4] = rng.uniform(0.2, 0.5, workers // 4)
    kinds = ["normal"] * workers
    for index in rng.choice(workers, spammers, replace=False):
        kinds[index] = "random" if index % 2 else "constant"
    rows: list[tuple[Any, Any, Any]] = []
    for task in range(tasks):
        count = int(rng.integers(per_task[0], per_task[1] + 1))
        for worker in rng.choice(workers, count, replace=False):
            if kinds[worker] == "random":
                label = int(rng.integers(0, classes))
            elif kinds[worker] == "constant":
                label = int(worker) % classes
            elif rng.random() < accuracy[worker]:
                label = int(truth[task])
            else:
                label = int((truth[task] + rng.integers(1, classes)) % classes)
            rows.append((f"t{task}", f"w{worker}", label))
    return rows


DS_CASES = [
    # (seed, tasks, workers, classes, spammers, labels per task, labels as strings)
    (11, 1500, 20, 3, 2, (3, 5), False),
    (12, 2000, 40, 4, 5, (2, 7), True),
    (13, 1000, 15, 5, 3, (4, 6), False),
    (14, 3000, 60, 2, 6, (3, 3), True),
    (15, 800, 25, 12, 3, (3, 6), True),   # more than 8 classes: posteriors span several SIMD vectors
]


@pytest.mark.parametrize("seed,tasks,workers,classes,spammers,per_task,as_strings", DS_CASES)
def test_aggregation_matches_crowdkit(gloss_bin: Path, tmp_path: Path, seed: int, tasks: int, workers: int,
                                      classes: int, spammers: int, per_task: tuple[int, int], as_strings: bool) -> None:
    rows = crowd_case(seed, tasks, workers, classes, spammers, per_task)
    if as_strings:
        rows = [(t, w, f"class-{l}") for t, w, l in rows]
    path = tmp_path / "crowd.jsonl"
    write_jsonl(path, rows)
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])

    # Dawid-Skene: the same labels wherever crowd-kit's top two posteriors differ by more than 1e-6.
    model = DawidSkene(n_iter=100, tol=1e-5)
    reference = model.fit_predict(frame)
    probabilities = model.probas_
    gloss = quality_json(gloss_bin, "aggregate", "--method", "dawid-skene", str(path))
    assert gloss["method"] == "dawid-skene"
    assert gloss["iterations"] == len(model.loss_history_)
    ours = {entry["task"]: entry for entry in gloss["tasks"]}
    assert set(ours) == set(reference.index)
    ordered = np.sort(probabilities.to_numpy(), axis=1)
    gaps = pd.Series(ordered[:, -1] - ordered[:, -2], index=probabilities.index)
    compared = 0
    for task, label in reference.items():
        if gaps[task] > 1e-6:
            compared += 1
            assert ours[task]["label"] == label, (task, ours[task], probabilities.loc[task].to_dict())
            assert abs(ours[task]["confidence"] - probabilities.loc[task].max()) <= 1e-6
    assert compared >= 0.9 * tasks

    # Each worker's accuracy: Σ_c prior(c) · P(says c | truth c) from crowd-kit's fitted model.
    errors, priors = model.errors_, model.priors_
    for entry in gloss["workers"]:
        matrix = errors.loc[entry["worker"]]
        expected = sum(priors[c] * (matrix.loc[c, c] if c in matrix.index else 0.0) for c in priors.index)
        assert abs(entry["accuracy"] - expected) <= 1e-6, entry
        assert entry["labels"] == int((frame.worker == entry["worker"]).sum())

    # Majority vote: the same label wherever the top count is not shared.
    majority = MajorityVote().fit_predict(frame)
    gloss_majority = quality_json(gloss_bin, "aggregate", "--method", "majority", str(path))
    assert "iterations" not in gloss_majority
    mine = {entry["task"]: entry for entry in gloss_majority["tasks"]}
    counts = frame.groupby(["task", "label"]).size().unstack(fill_value=0)
    top = counts.max(axis=1)
    tied = (counts.eq(top, axis=0)).sum(axis=1) > 1
    untied = 0
    for task, label in majority.items():
        row = counts.loc[task]
        assert abs(mine[task]["confidence"] - row.max() / row.sum()) <= 1e-12
        if tied[task]:
            assert row[mine[task]["label"]] == row.max()   # one of the tied labels
            assert mine[task]["label"] == min(l for l in row.index if row[l] == row.max())   # the first in label order
        else:
            untied += 1
            assert mine[task]["label"] == label
    assert untied > tasks / 2
