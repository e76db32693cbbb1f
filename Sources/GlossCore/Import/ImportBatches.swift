/// Turns a stream of byte chunks (a request body, a file) into batches of parsed tasks, at least
/// `batchSize` each but the last, so the store can insert in large statements while the file streams.
public struct ImportBatches<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element: Collection<UInt8> {
    public typealias Element = [ImportedTask]

    let base: Base
    let reader: TaskImportReader
    let batchSize: Int

    public init(_ base: Base, format: ImportFormat, schema: LabelSchema, taxonomies: [String: Taxonomy] = [:], batchSize: Int = 2000) {
        self.base = base
        self.reader = TaskImportReader(format: format, schema: schema, taxonomies: taxonomies)
        self.batchSize = batchSize
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: Base.AsyncIterator
        var reader: TaskImportReader
        let batchSize: Int
        var pending: [ImportedTask] = []
        var isFinished = false

        public mutating func next() async throws -> [ImportedTask]? {
            while !isFinished, pending.count < batchSize {
                if let chunk = try await chunks.next() {
                    pending.append(contentsOf: try reader.consume(chunk))
                } else {
                    pending.append(contentsOf: try reader.finish())
                    isFinished = true
                }
            }
            guard !pending.isEmpty else { return nil }
            defer { pending = [] }
            return pending
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: base.makeAsyncIterator(), reader: reader, batchSize: batchSize)
    }
}
