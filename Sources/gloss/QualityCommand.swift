import ArgumentParser
import Foundation
import GlossCore

/// `gloss quality`: agreement and consensus for labels made anywhere, read from JSON Lines of
/// `{"task": ..., "worker": ..., "label": ...}`. Each subcommand prints one JSON document.
struct QualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Agreement and consensus for a JSON Lines file of {task, worker, label}.",
        subcommands: [AgreementCommand.self, AggregateCommand.self, DiarizationCommand.self, WordErrorCommand.self])

    /// `gloss quality der REFERENCE.rttm HYPOTHESIS.rttm`: diarization error rate per file and over all, as the
    /// quality pipeline scores `segments` fields of speakers.
    struct DiarizationCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "der", abstract: "Diarization error rate between two RTTM files (per file id, and over all of them).")

        @ArgumentParser.Option(help: "Seconds around each reference boundary left out of the evaluation.")
        var collar = 0.0

        @ArgumentParser.Flag(help: "Leave out the stretches where two reference speakers overlap.")
        var skipOverlap = false

        @ArgumentParser.Argument(help: "The reference RTTM.")
        var reference: String

        @ArgumentParser.Argument(help: "The hypothesis RTTM.")
        var hypothesis: String

        func run() throws {
            func read(_ path: String) throws -> [String: [TimedLabel]] {
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
                switch RTTMReader.turns(String(decoding: data, as: UTF8.self)) {
                case .success(let turns): return turns
                case .failure(let error): throw QualityCommand.inputError(FieldError(field: path, message: error.message, line: error.line))
                }
            }
            let reference = try read(reference), hypothesis = try read(hypothesis)
            var files: [String: JSONValue] = [:]
            var total = 0.0, errors = 0.0
            for file in Set(reference.keys).union(hypothesis.keys).sorted() {
                let counts = DiarizationErrorRate.compute(reference: reference[file] ?? [], hypothesis: hypothesis[file] ?? [],
                                                          collar: collar, skipOverlap: skipOverlap)
                total += counts.total
                errors += counts.miss + counts.falseAlarm + counts.confusion
                files[file] = .object(["der": .number(counts.der), "total": .number(counts.total), "miss": .number(counts.miss),
                                       "false_alarm": .number(counts.falseAlarm), "confusion": .number(counts.confusion),
                                       "mapping": .object(counts.mapping.mapValues(JSONValue.string))])
            }
            // As DiarizationErrorCounts.der: no reference speech is 0 without hypothesis speech, else 1.
            let der = total > 0 ? errors / total : (errors > 0 ? 1 : 0)
            QualityCommand.printDocument(JSONValue.object(["der": .number(der), "files": .object(files)]).jsonText)
        }
    }

    /// `gloss quality wer REFERENCE.txt HYPOTHESIS.txt`: word error rate, as the pipeline scores transcripts.
    struct WordErrorCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wer", abstract: "Word error rate between two transcripts (plain text; [tags], %hesitations and false starts- are left out).")

        @ArgumentParser.Argument(help: "The reference text.")
        var reference: String

        @ArgumentParser.Argument(help: "The hypothesis text.")
        var hypothesis: String

        func run() throws {
            func read(_ path: String) throws -> [String] {
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
                return TranscriptConventions().words(String(decoding: data, as: UTF8.self))
            }
            let counts = WordErrorRate.counts(reference: try read(reference), hypothesis: try read(hypothesis))
            QualityCommand.printDocument(JSONValue.object([
                "wer": .number(counts.wer), "hits": .number(Double(counts.hits)), "substitutions": .number(Double(counts.substitutions)),
                "deletions": .number(Double(counts.deletions)), "insertions": .number(Double(counts.insertions)),
            ]).jsonText)
        }
    }

    struct AgreementCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agreement",
            abstract: "Krippendorff's alpha (with a bootstrap interval), percentage agreement, Fleiss' and Cohen's kappas, per-label figures and the coincidence matrix.")

        @ArgumentParser.Option(help: "The level of measurement; ordinal and interval need numeric labels.")
        var metric: AgreementMetric = .nominal

        @ArgumentParser.Option(help: "Bootstrap resamples of units for alpha's 95% interval (0: none).")
        var bootstrap = 1000

        @ArgumentParser.Option(help: "Seed of the bootstrap's generator.")
        var seed: UInt64 = Agreement.defaultSeed

        @ArgumentParser.Argument(help: "JSON Lines file of {\"task\", \"worker\", \"label\"}, or - for standard input.")
        var file: String

        func validate() throws {
            guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more") }
        }

        func run() throws {
            let table = try QualityCommand.readTable(file)
            do {
                let report = try Agreement.report(table, metric: metric, bootstrapSamples: bootstrap, seed: seed)
                QualityCommand.printDocument(report.jsonValue.jsonText)
            } catch {
                throw QualityCommand.inputError(error)
            }
        }
    }

    struct AggregateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "aggregate",
            abstract: "One consensus label and confidence per task, and each worker's estimated accuracy.")

        @ArgumentParser.Option(help: "How labels are combined.")
        var method: AggregationMethod = .majority

        @ArgumentParser.Option(help: "Dawid-Skene: the most EM iterations.")
        var iterations = 100

        @ArgumentParser.Option(help: "Dawid-Skene: stop when the evidence lower bound per label gains less than this.")
        var tolerance = 1e-5

        @ArgumentParser.Argument(help: "JSON Lines file of {\"task\", \"worker\", \"label\"}, or - for standard input.")
        var file: String

        func validate() throws {
            guard iterations >= 0 else { throw ValidationError("--iterations must be 0 or more") }
            guard tolerance.isFinite else { throw ValidationError("--tolerance must be a number") }
        }

        func run() throws {
            let table = try QualityCommand.readTable(file)
            let result = Aggregation.aggregate(table, method: method, maxIterations: iterations, tolerance: tolerance)
            QualityCommand.printDocument(result.jsonText)
        }
    }

    /// Reads and codes the file (`-`: standard input); bad input is reported on standard error with exit code 2.
    static func readTable(_ file: String) throws -> LabelTable {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            data = contents
        }
        do {
            return try LabelTable(jsonLines: data)
        } catch {
            throw inputError(error)
        }
    }

    /// Prints a problem with the input (`line N: field: message`) and gives the exit code for bad input.
    static func inputError(_ error: FieldError) -> ExitCode {
        FileHandle.standardError.write(Data("gloss quality: \(error.description)\n".utf8))
        return ExitCode(2)
    }

    static func printDocument(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

extension AgreementMetric: ExpressibleByArgument {}
extension AggregationMethod: ExpressibleByArgument {}
