#!/usr/bin/env python3
"""Gloss's consensus and agreement against crowd-kit and `krippendorff` on a million labels.

Generates 100,000 tasks with a true class among 5, each labelled by 10 distinct workers drawn from 200
(workers' accuracies spread from 35% to 95%, one in ten a spammer answering at random), seeded. Then times:

- `gloss quality aggregate --method dawid-skene` and `--method majority`: the whole process (reading the
  JSON Lines file, parsing, computing, printing the JSON), best of `--repeat` runs;
- crowd-kit's `DawidSkene().fit_predict` and `MajorityVote().fit_predict`: the call only (loading the
  file into pandas is timed apart and reported, not counted);
- `gloss quality agreement --metric nominal` (without and with the default 1,000 bootstrap resamples)
  against `krippendorff.alpha` on the dense 200 × 100,000 matrix (building the matrix not counted).

It checks that the answers agree (Dawid-Skene labels wherever crowd-kit's top two posteriors differ by more
than 1e-6, majority vote wherever the top count is not shared, alpha to 1e-9) and prints a Markdown table.

    swift build -c release
    .venv-test/bin/python Benchmarks/quality_vs_crowdkit.py [--gloss .build/release/gloss]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")   # crowd-kit's pandas deprecation warnings

import krippendorff  # noqa: E402
from crowdkit.aggregation import DawidSkene, MajorityVote  # noqa: E402


def generate(tasks: int, workers: int, classes: int, per_task: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Task, worker and label arrays: `per_task` distinct random workers per task."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, classes, tasks)
    accuracy = rng.uniform(0.35, 0.95, workers)
    spammer = rng.random(workers) < 0.1
    accuracy[spammer] = 1.0 / classes
    chosen = np.argpartition(rng.random((tasks, workers)), per_task, axis=1)[:, :per_task]
    task = np.repeat(np.arange(tasks), per_task)
    worker = chosen.reshape(-1)
    right = rng.random(task.size) < accuracy[worker]
    wrong = (truth[task] + rng.integers(1, classes, task.size)) % classes
    label = np.where(right, truth[task], wrong)
    return task, worker, label


def write_jsonl(path: Path, task: np.ndarray, worker: np.ndarray, label: np.ndarray) -> None:
    with path.open("w", encoding="utf-8") as out:
        for t, w, l in zip(task.tolist(), worker.tolist(), label.tolist()):
            out.write(f'{{"task":"t{t}","worker":"w{w}","label":{l}}}\n')


def time_gloss(binary: str, arguments: list[str], repeat: int) -> tuple[float, dict]:
    """Best wall time of the whole process over `repeat` runs, and its JSON output."""
    best = float("inf")
    output: dict = {}
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run([binary, "quality", *arguments], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(f"gloss {' '.join(arguments)} failed: {result.stderr}")
        best = min(best, elapsed)
        output = json.loads(result.stdout)
    return best, output


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gloss", default=".build/release/gloss", help="the gloss binary (a release build)")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=200)
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--per-task", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="gloss runs per measurement (best is kept)")
    parser.add_argument("--skip-alpha", action="store_true", help="leave out the krippendorff comparison")
    options = parser.parse_args()
    if not Path(options.gloss).exists():
        sys.exit(f"no gloss binary at {options.gloss}: run `swift build -c release` or pass --gloss")

    task, worker, label = generate(options.tasks, options.workers, options.classes, options.per_task, options.seed)
    rows = task.size
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "labels.jsonl"
        write_jsonl(path, task, worker, label)
        size_mb = path.stat().st_size / 1e6

        load_seconds, frame = timed(lambda: pd.read_json(path, lines=True, dtype={"task": str, "worker": str}))
        table = []
        notes = []

        # Dawid-Skene.
        gloss_ds, ours = time_gloss(options.gloss, ["aggregate", "--method", "dawid-skene", str(path)], options.repeat)
        model = DawidSkene(n_iter=100, tol=1e-5)
        crowd_ds, reference = timed(lambda: model.fit_predict(frame))
        probabilities = model.probas_
        ordered = np.sort(probabilities.to_numpy(), axis=1)
        gaps = pd.Series(ordered[:, -1] - ordered[:, -2], index=probabilities.index)
        mine = {entry["task"]: entry["label"] for entry in ours["tasks"]}
        clear = gaps[gaps > 1e-6].index
        differing = sum(1 for t in clear if mine[t] != reference[t])
        table.append(("Dawid-Skene", gloss_ds, crowd_ds, crowd_ds + load_seconds))
        notes.append(f"Dawid-Skene: {ours['iterations']} iterations in Gloss, {len(model.loss_history_)} in crowd-kit; "
                     f"{differing} of {len(clear):,} tasks with a clear posterior differ"
                     f" ({len(gaps) - len(clear)} near-ties not compared).")

        # Majority vote.
        gloss_mv, ours_mv = time_gloss(options.gloss, ["aggregate", "--method", "majority", str(path)], options.repeat)
        crowd_mv, reference_mv = timed(lambda: MajorityVote().fit_predict(frame))
        counts = frame.groupby(["task", "label"]).size().unstack(fill_value=0)
        tied = counts.eq(counts.max(axis=1), axis=0).sum(axis=1) > 1
        mine_mv = {entry["task"]: entry["label"] for entry in ours_mv["tasks"]}
        untied = [t for t in reference_mv.index if not tied[t]]
        differing_mv = sum(1 for t in untied if mine_mv[t] != reference_mv[t])
        table.append(("majority vote", gloss_mv, crowd_mv, crowd_mv + load_seconds))
        notes.append(f"Majority vote: {differing_mv} of {len(untied):,} untied tasks differ "
                     f"({int(tied.sum()):,} ties, broken by label order in Gloss and by column order in crowd-kit).")

        # Krippendorff's alpha.
        if not options.skip_alpha:
            matrix = np.full((options.workers, options.tasks), np.nan)
            matrix[worker, task] = label
            gloss_alpha, report = time_gloss(options.gloss, ["agreement", "--metric", "nominal", "--bootstrap", "0", str(path)],
                                             options.repeat)
            gloss_boot, report_boot = time_gloss(options.gloss, ["agreement", "--metric", "nominal", str(path)], options.repeat)
            crowd_alpha, alpha = timed(lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
            table.append(("Krippendorff's alpha (nominal), all agreement figures, no bootstrap", gloss_alpha, crowd_alpha, None))
            table.append(("the same with alpha's 1,000-resample bootstrap interval", gloss_boot, crowd_alpha, None))
            notes.append(f"Alpha: Gloss {report['alpha']:.12f}, krippendorff {alpha:.12f} "
                         f"(difference {abs(report['alpha'] - alpha):.1e}); 95% interval {report_boot['alpha_ci95']}. "
                         "The krippendorff column is alpha alone; Gloss's runs also give the kappas, per-label figures "
                         "and the coincidence matrix.")

    print(f"## Consensus and agreement on {rows:,} labels: Gloss against crowd-kit and krippendorff\n")
    print(f"{options.tasks:,} tasks × {options.per_task} labels from {options.workers} workers, {options.classes} classes, "
          f"seed {options.seed}; the JSON Lines file is {size_mb:.1f} MB. Gloss: the whole `gloss quality` process "
          f"(read, parse, compute, print), best of {options.repeat}. Reference: the call only; loading the file into "
          f"pandas took a further {load_seconds:.2f} s. {platform.machine()}, {os.cpu_count()} cores.\n")
    # Gloss's column always includes reading the file; the reference's is shown without (the call alone) and,
    # for crowd-kit, with reading the same file into pandas (the like-for-like figure).
    print("| method | Gloss seconds (whole process) | reference seconds (call only) | ratio | reference with reading the file | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, ours_seconds, theirs, theirs_loaded in table:
        loaded = f"{theirs_loaded:.3f} | {theirs_loaded / ours_seconds:.1f}×" if theirs_loaded is not None else "— | —"
        print(f"| {name} | {ours_seconds:.3f} | {theirs:.3f} | {theirs / ours_seconds:.1f}× | {loaded} |")
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
