import Foundation
import Testing

@testable import GlossCore

// Expected values were computed by hand and checked against the reference libraries:
// jiwer 4.0.0 (`jiwer.process_words(" ".join(ref), " ".join(hyp))`, rapidfuzz 3.14.6) and
// pyannote.metrics 4.2.0 (`DiarizationErrorRate(collar=..., skip_overlap=...)(ref, hyp, detailed=True)`).

// MARK: - Word error rate

private func wer(_ reference: String, _ hypothesis: String) -> WordErrorCounts {
    WordErrorRate.counts(
        reference: reference.split(separator: " ").map(String.init),
        hypothesis: hypothesis.split(separator: " ").map(String.init))
}

@Test func werIdenticalTranscriptsHaveNoErrors() {
    let counts = wer("the cat sat on the mat", "the cat sat on the mat")
    #expect(counts == WordErrorCounts(hits: 6, substitutions: 0, deletions: 0, insertions: 0))
    #expect(counts.wer == 0)
    #expect(counts.referenceWords == 6)
}

@Test func werAllSubstitutions() {
    let counts = wer("a b c", "x y z")
    #expect(counts == WordErrorCounts(hits: 0, substitutions: 3, deletions: 0, insertions: 0))
    #expect(counts.wer == 1)
}

@Test func werInsertionsAndDeletions() {
    // "the" deleted, "a" and "today" inserted: (0 + 1 + 2) / 6. jiwer: H 5 S 0 D 1 I 2, wer 0.5.
    let counts = wer("the cat sat on the mat", "cat sat on a the mat today")
    #expect(counts == WordErrorCounts(hits: 5, substitutions: 0, deletions: 1, insertions: 2))
    #expect(counts.wer == 0.5)
    #expect(counts.hypothesisWords == 7)
}

@Test func werTiesAreBrokenAsJiwerBreaksThem() {
    // Each pair has several minimal alignments; these are the ones jiwer (rapidfuzz) reports.
    #expect(wer("a b", "b c") == WordErrorCounts(hits: 0, substitutions: 2, deletions: 0, insertions: 0))
    #expect(wer("x y", "y x") == WordErrorCounts(hits: 1, substitutions: 0, deletions: 1, insertions: 1))
    #expect(wer("a b c d", "b c d e") == WordErrorCounts(hits: 3, substitutions: 0, deletions: 1, insertions: 1))
    #expect(wer("a b a", "b a b") == WordErrorCounts(hits: 2, substitutions: 0, deletions: 1, insertions: 1))
    // H 4 D 1 I 2 is minimal too (3 edits); jiwer says H 3 S 2 I 1, wer 0.6.
    let counts = wer("i this is uh fine", "i uh this is fine ok")
    #expect(counts == WordErrorCounts(hits: 3, substitutions: 2, deletions: 0, insertions: 1))
    #expect(abs(counts.wer - 0.6) < 1e-12)
}

@Test func werEmptyReferenceOrHypothesis() {
    // jiwer 4: an empty reference gives wer = number of insertions.
    let inserted = WordErrorRate.counts(reference: [], hypothesis: ["a", "b", "c"])
    #expect(inserted == WordErrorCounts(hits: 0, substitutions: 0, deletions: 0, insertions: 3))
    #expect(inserted.wer == 3)
    let nothing = WordErrorRate.counts(reference: [], hypothesis: [])
    #expect(nothing == WordErrorCounts())
    #expect(nothing.wer == 0)
    let deleted = WordErrorRate.counts(reference: ["a", "b"], hypothesis: [])
    #expect(deleted == WordErrorCounts(hits: 0, substitutions: 0, deletions: 2, insertions: 0))
    #expect(deleted.wer == 1)
}

@Test func werLongTranscriptsSplitLikeRapidfuzz() {
    // 2100 × 2050 words over a 3-word vocabulary: large enough for rapidfuzz's Hirschberg split,
    // where many alignments tie. jiwer: H 1411 S 426 D 263 I 213, wer 0.42952380952380953.
    func words(seed: Int, count: Int) -> [String] {
        var x = seed
        return (0..<count).map { _ in
            x = (x * 1_103_515_245 + 12345) % (1 << 31)
            return "w\((x >> 16) % 3)"
        }
    }
    let reference = words(seed: 1, count: 2100), hypothesis = words(seed: 2, count: 2050)
    #expect(Array(reference.prefix(5)) == ["w2", "w1", "w0", "w1", "w1"])
    let counts = WordErrorRate.counts(reference: reference, hypothesis: hypothesis)
    #expect(counts == WordErrorCounts(hits: 1411, substitutions: 426, deletions: 263, insertions: 213))
    #expect(abs(counts.wer - 0.42952380952380953) < 1e-12)
}

@Test func werSumsOverUtterances() {
    let total = wer("a b c", "a x c") + wer("d e", "d e f")
    #expect(total == WordErrorCounts(hits: 4, substitutions: 1, deletions: 0, insertions: 1))
    #expect(abs(total.wer - 0.4) < 1e-12)
}

@Test func plainWordNormalisation() {
    #expect(
        WordErrorRate.words("Don't STOP—now!  It's 5 o'clock, 'quoted' \u{2018}x\u{2019} rock\u{2019}n\u{2019}roll")
            == ["don't", "stopnow", "it's", "5", "o'clock", "quoted", "x", "rock'n'roll"])
    #expect(WordErrorRate.words("  \n ... ") == [])
    #expect(WordErrorRate.counts(reference: "Hello, world!", hypothesis: "hello world") == WordErrorCounts(hits: 2))
}

// MARK: - Transcript conventions

@Test func conventionWordsDropTagsHesitationsAndFalseStarts() {
    let conventions = TranscriptConventions()
    #expect(conventions.words("%uh I [noise] thi- this is, uh, fine [laughter]") == ["i", "this", "is", "uh", "fine"])
    // Unknown tags and hesitations are not speech either; text after an unclosed "[" is.
    #expect(conventions.words("(%hm) ok [cough] well-known") == ["ok", "wellknown"])
    #expect(conventions.words("hello [inaudible world") == ["hello", "inaudible", "world"])
    let counts = WordErrorRate.counts(
        reference: conventions.words("%uh I [noise] thi- this is fine"),
        hypothesis: conventions.words("I this is [laughter] fine %um"))
    #expect(counts == WordErrorCounts(hits: 4, substitutions: 0, deletions: 0, insertions: 0))
}

@Test func conventionProblems() {
    let conventions = TranscriptConventions()
    #expect(conventions.problems(in: "%uh I [noise] thi- this is fine [Laughter] %UM") == [])
    #expect(
        conventions.problems(in: "[cough] %hm ok [cough] [inaudible")
            == [
                "'[cough]' is not a tag of this project (tags: [inaudible], [noise], [laughter], [music], [crosstalk])",
                "'%hm' is not a hesitation of this project (hesitations: %uh, %um, %er, %ah, %hmm)",
                "an unclosed '['",
            ])
    #expect(
        TranscriptConventions(falseStarts: false).problems(in: "thi- this is well-known -- right")
            == ["'thi-' is a false start, which this project does not allow"])
    #expect(conventions.problems(in: "ok] fine") == ["a ']' without a '['"])
    #expect(conventions.problems(in: "[noise [music]") == ["an unclosed '['"])
    #expect(
        TranscriptConventions(tags: [], hesitations: []).problems(in: "[noise], %uh.")
            == [
                "'[noise]' is not a tag of this project (this project has no tags)",
                "'%uh' is not a hesitation of this project (this project has no hesitations)",
            ])
}

// MARK: - Diarization error rate

private func turn(_ label: String, _ start: Double, _ end: Double) -> TimedLabel {
    TimedLabel(label: label, start: start, end: end)
}

//  time      0    8  9 10      15 16 17  19 20   23  25
//  ref A     |==========|                     |=======|
//  ref B          |===========|
//  hyp s1    |=======|                |===|
//  hyp s2            |==============|         |====|
//
//  piece    d   ref   hyp  r h   miss fa  correct confusion
//  0-8      8   A     s1   1 1   0    0   8       0
//  8-9      1   A,B   s1   2 1   1    0   1       0
//  9-10     1   A,B   s2   2 1   1    0   1       0
//  10-15    5   B     s2   1 1   0    0   5       0
//  15-16    1   -     s2   0 1   0    1   0       0
//  17-19    2   -     s1   0 1   0    2   0       0
//  20-23    3   A     s2   1 1   0    0   0       3
//  23-25    2   A     -    1 0   2    0   0       0
//  shared time: s1·A 9, s1·B 1, s2·A 4, s2·B 6 -> s1→A, s2→B (15 against 5)
//  total 22, miss 4, false alarm 3, confusion 3, correct 15: DER 10/22.
private let handReference = [turn("A", 0, 10), turn("B", 8, 15), turn("A", 20, 25)]
private let handHypothesis = [turn("s1", 0, 9), turn("s2", 9, 16), turn("s1", 17, 19), turn("s2", 20, 23)]

@Test func derHandDrawnCase() {
    let counts = DiarizationErrorRate.compute(reference: handReference, hypothesis: handHypothesis)
    #expect(counts.total == 22)
    #expect(counts.miss == 4)
    #expect(counts.falseAlarm == 3)
    #expect(counts.confusion == 3)
    #expect(counts.correct == 15)
    #expect(counts.mapping == ["s1": "A", "s2": "B"])
    #expect(abs(counts.der - 0.45454545454545453) < 1e-9)  // pyannote: 0.45454545454545453
}

@Test func derCollarAndSkipOverlap() {
    // collar 1 s removes ±0.5 s around 0, 8, 10, 15, 20, 25:
    // 0.5-7.5 A/s1 7 correct; 8.5-9 A,B/s1 0.5 miss 0.5 correct; 9-9.5 A,B/s2 likewise;
    // 10.5-14.5 B/s2 4 correct; 15.5-16 s2 0.5 fa; 17-19 s1 2 fa; 20.5-23 A/s2 2.5 confusion; 23-24.5 A 1.5 miss.
    let collared = DiarizationErrorRate.compute(reference: handReference, hypothesis: handHypothesis, collar: 1)
    #expect(collared == DiarizationErrorCounts(
        total: 17, miss: 2.5, falseAlarm: 2.5, confusion: 2.5, correct: 12, mapping: ["s1": "A", "s2": "B"]))
    #expect(abs(collared.der - 0.4411764705882353) < 1e-9)  // pyannote: 0.4411764705882353

    // skip_overlap drops 8-10 (A and B): total 18, miss 2, correct 13.
    let skipped = DiarizationErrorRate.compute(reference: handReference, hypothesis: handHypothesis, skipOverlap: true)
    #expect(skipped == DiarizationErrorCounts(
        total: 18, miss: 2, falseAlarm: 3, confusion: 3, correct: 13, mapping: ["s1": "A", "s2": "B"]))
    #expect(abs(skipped.der - 0.4444444444444444) < 1e-9)  // pyannote: 0.4444444444444444

    // Both: pyannote gives total 16.5, miss 1.75, false alarm 2.75, confusion 2.75, correct 12, DER 0.4393939393939394.
    let both = DiarizationErrorRate.compute(
        reference: handReference, hypothesis: handHypothesis, collar: 0.5, skipOverlap: true)
    #expect(both == DiarizationErrorCounts(
        total: 16.5, miss: 1.75, falseAlarm: 2.75, confusion: 2.75, correct: 12, mapping: ["s1": "A", "s2": "B"]))
    #expect(abs(both.der - 0.4393939393939394) < 1e-9)
}

@Test func derMappingIsOptimalWhereGreedyIsNot() {
    //  ref r1 0-18, r2 18-27; hyp h1 0-10 and 18-27, h2 10-18.
    //  shared: h1·r1 10, h1·r2 9, h2·r1 8, h2·r2 0.
    //  Greedy takes h1→r1 (10) and nothing for h2: correct 10, confusion 17, DER 17/27
    //  (pyannote GreedyDiarizationErrorRate: 0.6296296296296297).
    //  Optimal h1→r2, h2→r1: correct 9 + 8 = 17, confusion 10, DER 10/27 (pyannote 0.37037037037037035).
    let counts = DiarizationErrorRate.compute(
        reference: [turn("r1", 0, 18), turn("r2", 18, 27)],
        hypothesis: [turn("h1", 0, 10), turn("h2", 10, 18), turn("h1", 18, 27)])
    #expect(counts.mapping == ["h1": "r2", "h2": "r1"])
    #expect(counts == DiarizationErrorCounts(
        total: 27, miss: 0, falseAlarm: 0, confusion: 10, correct: 17, mapping: ["h1": "r2", "h2": "r1"]))
    #expect(abs(counts.der - 0.37037037037037035) < 1e-9)
}

@Test func derMoreHypothesisSpeakersThanReference() {
    // x 0-3 with A, y 3-6 straddles A|B, z 6-10 with B: x→A, z→B, y unmapped (pyannote: DER 0.3).
    let counts = DiarizationErrorRate.compute(
        reference: [turn("A", 0, 5), turn("B", 5, 10)],
        hypothesis: [turn("x", 0, 3), turn("y", 3, 6), turn("z", 6, 10)])
    #expect(counts == DiarizationErrorCounts(
        total: 10, miss: 0, falseAlarm: 0, confusion: 3, correct: 7, mapping: ["x": "A", "z": "B"]))
    #expect(abs(counts.der - 0.3) < 1e-9)
}

@Test func derEdgeCases() {
    let onlyHypothesis = DiarizationErrorRate.compute(reference: [], hypothesis: [turn("x", 1, 3)])
    #expect(onlyHypothesis.total == 0)
    #expect(onlyHypothesis.falseAlarm == 2)
    #expect(onlyHypothesis.der == 1)
    #expect(DiarizationErrorRate.compute(reference: [], hypothesis: []).der == 0)
    let onlyReference = DiarizationErrorRate.compute(reference: [turn("A", 0, 4)], hypothesis: [turn("x", 2, 2)])
    #expect(onlyReference.miss == 4)
    #expect(onlyReference.der == 1)
    // One label's overlapping turns count once (pyannote would count 5-10 twice: total 20, miss 5).
    let union = DiarizationErrorRate.compute(
        reference: [turn("A", 0, 10), turn("A", 5, 15)], hypothesis: [turn("x", 0, 15)])
    #expect(union == DiarizationErrorCounts(total: 15, correct: 15, mapping: ["x": "A"]))
    // Touching turns of one label still get a collar at the boundary between them (as pyannote: total 8).
    let touching = DiarizationErrorRate.compute(
        reference: [turn("A", 0, 5), turn("A", 5, 10)], hypothesis: [turn("x", 0, 10)], collar: 1)
    #expect(touching == DiarizationErrorCounts(total: 8, correct: 8, mapping: ["x": "A"]))
}

// MARK: - Encoders

private let sampleTurns = [
    turn("Bob Smith", 3.25, 4.0), turn("alice", 0.5, 2.0004), turn(" ", 363_723.4567, 363_724), turn("x", 5, 5),
]
private let sampleCues = [
    Cue(start: 1.0, end: 2.5, speaker: "Dr. <Who>", text: "Fish & chips -> yes\n\n  \nsecond line"),
    Cue(start: 363_723.4567, end: 363_724, speaker: "Ann", text: "done"),
    Cue(start: 0, end: 0.9994, text: "a<b>c"),
    Cue(start: 7, end: 8, speaker: nil, text: " \n"),
]

@Test func rttmOutput() {
    // pyannote.database.util.load_rttm reads this back as uri "meeting_01" with
    // (0.5, 2.0, alice), (3.25, 4.0, Bob_Smith), (363723.457, 363724.0, unknown).
    #expect(
        SubtitleFormats.rttm(fileID: "meeting 01", turns: sampleTurns) == """
            SPEAKER meeting_01 1 0.500 1.500 <NA> <NA> alice <NA> <NA>
            SPEAKER meeting_01 1 3.250 0.750 <NA> <NA> Bob_Smith <NA> <NA>
            SPEAKER meeting_01 1 363723.457 0.543 <NA> <NA> unknown <NA> <NA>

            """)
    #expect(SubtitleFormats.rttm(fileID: "  ", turns: [turn("a\tb  c", 0, 1)]) == "SPEAKER unknown 1 0.000 1.000 <NA> <NA> a_b_c <NA> <NA>\n")
}

@Test func webVTTOutput() {
    // webvtt.read(path, strict=True) reads 3 captions; voice "Dr. &lt;Who&gt;", text still escaped.
    #expect(
        SubtitleFormats.webVTT(sampleCues) == """
            WEBVTT

            00:00:00.000 --> 00:00:00.999
            a&lt;b&gt;c

            00:00:01.000 --> 00:00:02.500
            <v Dr. &lt;Who&gt;>Fish &amp; chips -&gt; yes
            second line

            101:02:03.457 --> 101:02:04.000
            <v Ann>done


            """)
    #expect(SubtitleFormats.webVTT([]) == "WEBVTT\n\n")
}

@Test func srtOutput() {
    #expect(
        SubtitleFormats.srt(sampleCues) == """
            1
            00:00:00,000 --> 00:00:00,999
            a<b>c

            2
            00:00:01,000 --> 00:00:02,500
            Dr. <Who>: Fish & chips -> yes
            second line

            3
            101:02:03,457 --> 101:02:04,000
            Ann: done


            """)
}

@Test func timestamps() {
    #expect(SubtitleFormats.timestamp(0, separator: ".") == "00:00:00.000")
    #expect(SubtitleFormats.timestamp(3599.9996, separator: ",") == "01:00:00,000")
    #expect(SubtitleFormats.timestamp(61.25, separator: ".") == "00:01:01.250")
    #expect(SubtitleFormats.timestamp(360_000, separator: ",") == "100:00:00,000")
    #expect(SubtitleFormats.timestamp(3_600_000 + 0.001, separator: ".") == "1000:00:00.001")
    #expect(SubtitleFormats.timestamp(-3, separator: ".") == "00:00:00.000")
    #expect(SubtitleFormats.timestamp(.nan, separator: ".") == "00:00:00.000")
}

// MARK: - Waveform

@Test func peaksPerBucketWithPartialLastBucket() {
    var accumulator = PeakAccumulator(samplesPerPeak: 3)
    accumulator.add([0, 100])
    accumulator.add([-100, 32767, -32768])
    accumulator.add([5, 0, 0, 0, 1])
    #expect(accumulator.sampleCount == 10)
    // [0, 100, -100] -> (-1, 1): 100·127/32767 = 0.39 rounds out to 1.
    // [32767, -32768, 5] -> (-127, 127); [0, 0, 0] -> (0, 0); partial [1] -> (1, 1).
    #expect(accumulator.finish() == [-1, 1, -127, 127, 0, 0, 1, 1])
    #expect(accumulator.finish() == [-1, 1, -127, 127, 0, 0, 1, 1])
    #expect(accumulator.peakDBFS == 0)
    // Σ s² = 2147438139 over 10 samples: 20·log10(√214743813.9 / 32768).
    #expect(abs(accumulator.rmsDBFS - -6.989792079064481) < 1e-9)
}

@Test func peakScalingRoundsAwayFromZero() {
    #expect(PeakAccumulator.scale(0) == 0)
    #expect(PeakAccumulator.scale(1) == 1)
    #expect(PeakAccumulator.scale(-1) == -1)
    #expect(PeakAccumulator.scale(258) == 1)  // 258·127/32767 = 0.99997
    #expect(PeakAccumulator.scale(259) == 2)  // 1.0038
    #expect(PeakAccumulator.scale(-259) == -2)
    #expect(PeakAccumulator.scale(.max) == 127)
    #expect(PeakAccumulator.scale(.min) == -127)
}

@Test func silenceAndLevels() {
    var silent = PeakAccumulator(samplesPerPeak: 4)
    silent.add([Int16](repeating: 0, count: 6))
    #expect(silent.finish() == [0, 0, 0, 0])
    #expect(silent.peakDBFS == -Double.infinity)
    #expect(silent.rmsDBFS == -Double.infinity)

    var empty = PeakAccumulator(samplesPerPeak: 4)
    #expect(empty.finish() == [])
    #expect(empty.sampleCount == 0)
    #expect(empty.peakDBFS == -Double.infinity)

    var half = PeakAccumulator(samplesPerPeak: 2)
    half.add([16384, 0])
    #expect(half.finish() == [0, 64])  // 16384·127/32767 = 63.5 -> 64
    #expect(abs(half.peakDBFS - -6.020599913279624) < 1e-9)
    #expect(abs(half.rmsDBFS - -9.030899869919436) < 1e-9)
}

@Test func peaksStreamInAnyChunks() {
    var samples = [Int16](repeating: 0, count: 10_007)
    var x: UInt32 = 7
    for index in samples.indices {
        x = x &* 1_103_515_245 &+ 12345
        samples[index] = Int16(truncatingIfNeeded: x >> 16)
    }
    var whole = PeakAccumulator(samplesPerPeak: 80)
    whole.add(samples)
    var chunked = PeakAccumulator(samplesPerPeak: 80)
    var start = 0
    for size in [1, 79, 81, 1000, 3, 4096] {
        chunked.add(Array(samples[start..<start + size]))
        start += size
    }
    chunked.add(Array(samples[start...]))
    let peaks = whole.finish()
    #expect(peaks.count == 2 * 126)  // 125 full buckets of 80 and one of 7
    #expect(chunked.finish() == peaks)
    #expect(chunked.rmsDBFS == whole.rmsDBFS)
    #expect(chunked.peakDBFS == whole.peakDBFS)
    // Bucket 0 drawn from its samples directly.
    let first = samples[0..<80]
    #expect(peaks[0] == PeakAccumulator.scale(first.min()!))
    #expect(peaks[1] == PeakAccumulator.scale(first.max()!))
}
