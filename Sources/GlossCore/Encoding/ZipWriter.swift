/// Writes a zip archive entry by entry, so an export streams: each call returns the bytes to send. Entries are
/// stored (their content is small text or already-compressed PNG); names are UTF-8. Archives past 65,535
/// entries or 4 GiB get the ZIP64 records.
public struct ZipWriter: Sendable {
    var offset: UInt64 = 0
    var centralDirectory: [UInt8] = []
    var entryCount = 0
    var names: Set<String> = []

    public init() {}

    /// A name not used yet in the archive: `name`, else `stem_2.ext`, `stem_3.ext`, …
    public mutating func uniqueName(_ name: String) -> String {
        guard names.contains(name) else { names.insert(name); return name }
        let dot = name.lastIndex(of: ".").flatMap { $0 > (name.lastIndex(of: "/") ?? name.startIndex) ? $0 : nil }
        let stem = dot.map { String(name[..<$0]) } ?? name
        let suffix = dot.map { String(name[$0...]) } ?? ""
        var number = 2
        while names.contains("\(stem)_\(number)\(suffix)") { number += 1 }
        let unique = "\(stem)_\(number)\(suffix)"
        names.insert(unique)
        return unique
    }

    /// The bytes of one entry (a local header and the content).
    public mutating func entry(_ name: String, _ content: [UInt8]) -> [UInt8] {
        names.insert(name)
        let nameBytes = Array(name.utf8)
        let crc = Checksum.crc32(content)
        let size = UInt32(content.count)
        let dosTime: UInt16 = 0, dosDate: UInt16 = (1 << 5) | 1   // 1980-01-01: exports are reproducible
        var local: [UInt8] = []
        local.appendLittleEndian(UInt32(0x0403_4B50))
        local.appendLittleEndian(UInt16(20))
        local.appendLittleEndian(UInt16(0x0800))   // UTF-8 names
        local.appendLittleEndian(UInt16(0))        // stored
        local.appendLittleEndian(dosTime)
        local.appendLittleEndian(dosDate)
        local.appendLittleEndian(crc)
        local.appendLittleEndian(size)
        local.appendLittleEndian(size)
        local.appendLittleEndian(UInt16(nameBytes.count))
        local.appendLittleEndian(UInt16(0))
        local += nameBytes

        let needsZip64Offset = offset >= 0xFFFF_FFFF
        var record: [UInt8] = []
        record.appendLittleEndian(UInt32(0x0201_4B50))
        record.appendLittleEndian(UInt16(3 << 8 | 45))   // made by Unix, version 4.5
        record.appendLittleEndian(UInt16(needsZip64Offset ? 45 : 20))
        record.appendLittleEndian(UInt16(0x0800))
        record.appendLittleEndian(UInt16(0))
        record.appendLittleEndian(dosTime)
        record.appendLittleEndian(dosDate)
        record.appendLittleEndian(crc)
        record.appendLittleEndian(size)
        record.appendLittleEndian(size)
        record.appendLittleEndian(UInt16(nameBytes.count))
        record.appendLittleEndian(UInt16(needsZip64Offset ? 12 : 0))
        record.appendLittleEndian(UInt16(0))              // comment
        record.appendLittleEndian(UInt16(0))              // disk
        record.appendLittleEndian(UInt16(0))              // internal attributes
        record.appendLittleEndian(UInt32(0o100644) << 16) // a regular file, rw-r--r--
        record.appendLittleEndian(needsZip64Offset ? UInt32(0xFFFF_FFFF) : UInt32(offset))
        record += nameBytes
        if needsZip64Offset {
            record.appendLittleEndian(UInt16(0x0001))
            record.appendLittleEndian(UInt16(8))
            record.appendLittleEndian(offset)
        }
        centralDirectory += record
        entryCount += 1
        offset += UInt64(local.count + content.count)
        return local + content
    }

    /// The central directory and end records: the archive's last bytes.
    public mutating func finish() -> [UInt8] {
        var output = centralDirectory
        let directoryOffset = offset
        let directorySize = UInt64(centralDirectory.count)
        let needsZip64 = entryCount >= 0xFFFF || directoryOffset >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF
        if needsZip64 {
            let zip64EndOffset = directoryOffset + directorySize
            output.appendLittleEndian(UInt32(0x0606_4B50))
            output.appendLittleEndian(UInt64(44))
            output.appendLittleEndian(UInt16(3 << 8 | 45))
            output.appendLittleEndian(UInt16(45))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(UInt64(entryCount))
            output.appendLittleEndian(UInt64(entryCount))
            output.appendLittleEndian(directorySize)
            output.appendLittleEndian(directoryOffset)
            output.appendLittleEndian(UInt32(0x0706_4B50))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(zip64EndOffset)
            output.appendLittleEndian(UInt32(1))
        }
        output.appendLittleEndian(UInt32(0x0605_4B50))
        output.appendLittleEndian(UInt16(0))
        output.appendLittleEndian(UInt16(0))
        let shortCount = UInt16(min(entryCount, 0xFFFF))
        output.appendLittleEndian(shortCount)
        output.appendLittleEndian(shortCount)
        output.appendLittleEndian(needsZip64 ? UInt32(0xFFFF_FFFF) : UInt32(directorySize))
        output.appendLittleEndian(needsZip64 ? UInt32(0xFFFF_FFFF) : UInt32(directoryOffset))
        output.appendLittleEndian(UInt16(0))
        centralDirectory = []
        return output
    }
}
