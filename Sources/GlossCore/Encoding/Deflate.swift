/// A small DEFLATE compressor (RFC 1951): greedy LZ77 over a 32 KiB window with hash chains, coded with the
/// fixed Huffman table. Enough for masks and drawn images, which are mostly runs; no dependency on zlib.
public enum Deflate {
    /// The raw DEFLATE stream of the bytes.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1)   // the final block
        writer.write(1, bits: 2)   // fixed Huffman codes
        let count = input.count
        let windowSize = 32_768, hashBits = 15, maxChain = 24
        var head = [Int32](repeating: -1, count: 1 << hashBits)
        var previous = [Int32](repeating: -1, count: windowSize)
        input.withUnsafeBufferPointer { bytes in
            func hash(_ position: Int) -> Int {
                let value = Int(bytes[position]) << 16 | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2])
                return (value &* 2_654_435_761 >> 8) & ((1 << hashBits) - 1)
            }
            func insert(_ position: Int) {
                guard position + 2 < count else { return }
                let key = hash(position)
                previous[position & (windowSize - 1)] = head[key]
                head[key] = Int32(position)
            }
            var position = 0
            while position < count {
                var bestLength = 0, bestDistance = 0
                if position + 2 < count {
                    var candidate = Int(head[hash(position)])
                    var chain = 0
                    let limit = min(258, count - position)
                    while candidate >= 0, position - candidate <= windowSize, chain < maxChain {
                        if bytes[candidate + bestLength] == bytes[position + bestLength] {
                            var length = 0
                            while length < limit, bytes[candidate + length] == bytes[position + length] { length += 1 }
                            if length > bestLength {
                                bestLength = length
                                bestDistance = position - candidate
                                if length == limit { break }
                            }
                        }
                        let next = Int(previous[candidate & (windowSize - 1)])
                        if next >= candidate { break }
                        candidate = next
                        chain += 1
                    }
                }
                if bestLength >= 3 {
                    writer.writeLength(bestLength)
                    writer.writeDistance(bestDistance)
                    for offset in 0..<bestLength { insert(position + offset) }
                    position += bestLength
                } else {
                    writer.writeLiteral(Int(bytes[position]))
                    insert(position)
                    position += 1
                }
            }
        }
        writer.writeLiteral(256)
        return writer.finish()
    }

    /// A zlib stream (RFC 1950): header, DEFLATE data, Adler-32.
    public static func zlib(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        output += compress(input)
        output.appendBigEndian(Checksum.adler32(input))
        return output
    }

    static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    struct BitWriter {
        var output: [UInt8] = []
        var buffer: UInt64 = 0
        var count = 0

        mutating func write(_ value: Int, bits: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                output.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                count -= 8
            }
        }

        /// A Huffman code, which DEFLATE stores most significant bit first.
        mutating func writeCode(_ code: Int, bits: Int) {
            var reversed = 0
            for bit in 0..<bits where code & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            write(reversed, bits: bits)
        }

        mutating func writeLiteral(_ symbol: Int) {
            switch symbol {
            case 0...143: writeCode(0x30 + symbol, bits: 8)
            case 144...255: writeCode(0x190 + symbol - 144, bits: 9)
            case 256...279: writeCode(symbol - 256, bits: 7)
            default: writeCode(0xC0 + symbol - 280, bits: 8)
            }
        }

        mutating func writeLength(_ length: Int) {
            var index = Deflate.lengthBases.count - 1
            while Deflate.lengthBases[index] > length { index -= 1 }
            writeLiteral(257 + index)
            if Deflate.lengthExtra[index] > 0 { write(length - Deflate.lengthBases[index], bits: Deflate.lengthExtra[index]) }
        }

        mutating func writeDistance(_ distance: Int) {
            var index = Deflate.distanceBases.count - 1
            while Deflate.distanceBases[index] > distance { index -= 1 }
            writeCode(index, bits: 5)
            if Deflate.distanceExtra[index] > 0 { write(distance - Deflate.distanceBases[index], bits: Deflate.distanceExtra[index]) }
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { output.append(UInt8(buffer & 0xFF)) }
            buffer = 0
            count = 0
            return output
        }
    }
}
