import Foundation
import Testing
@testable import GlossCore

// MARK: - Helpers (private to this file)

private func isClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

private func float32Bytes(_ values: [Float]) -> [UInt8] { values.flatMap { littleEndian($0.bitPattern) } }

/// A PCD file: the header text, then the data bytes.
private func pcdFile(_ header: String, _ data: [UInt8] = []) -> [UInt8] { Array(header.utf8) + data }

private func readPCD(_ bytes: [UInt8]) throws(PointCloudProblem) -> PointCloud { try PointCloudReader.read(bytes, format: .pcd) }

/// The problem `body` throws, or nil.
private func problem(_ body: () throws -> PointCloud) -> PointCloudProblem? {
    do {
        _ = try body()
        return nil
    } catch let problem as PointCloudProblem {
        return problem
    } catch {
        return nil
    }
}

/// A binary PCD of x, y, z (F 4) points.
private func binaryXYZ(_ points: [[Float]], width: Int? = nil, height: Int = 1, extraHeader: String = "") -> [UInt8] {
    let width = width ?? points.count / height
    let header = """
        # .PCD v0.7 - Point Cloud Data file format
        VERSION 0.7
        FIELDS x y z
        SIZE 4 4 4
        TYPE F F F
        COUNT 1 1 1
        WIDTH \(width)
        HEIGHT \(height)
        VIEWPOINT 0 0 0 1 0 0 0
        \(extraHeader)POINTS \(width * height)
        DATA binary

        """
    return pcdFile(header, float32Bytes(points.flatMap { $0 }))
}

// MARK: - PCD and KITTI reading

@Suite("Point clouds: PCD and KITTI .bin reading")
struct PointCloudReadingTests {
    @Test func sniffsPCDByHeaderAndKITTIByName() {
        #expect(PointCloudReader.sniff(head: Array("# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\n".utf8), fileName: "a.bin") == .pcd)
        #expect(PointCloudReader.sniff(head: Array("VERSION .7\nFIELDS x y z\n".utf8), fileName: "scan") == .pcd)
        #expect(PointCloudReader.sniff(head: Array("FIELDS x y z\nSIZE 4 4 4\n".utf8), fileName: "scan.txt") == .pcd)
        #expect(PointCloudReader.sniff(head: Array("# written by a tool\nVERSION 0.7\n".utf8), fileName: "x") == .pcd)
        #expect(PointCloudReader.sniff(head: [0x00, 0x00, 0x80, 0x3F], fileName: "000001.BIN") == .kittiBin)
        #expect(PointCloudReader.sniff(head: [0x00, 0x00, 0x80, 0x3F], fileName: "000001.pcd") == nil)
        #expect(PointCloudReader.sniff(head: Array("ply\nformat ascii 1.0\n".utf8), fileName: "cloud.ply") == nil)
        #expect(PointCloudReader.sniff(head: Array("hello VERSION".utf8), fileName: "x.pcd") == nil)
        #expect(PointCloudFormat.kittiBin.rawValue == "kitti_bin")
    }

    @Test func readsASCIIWithIntensityAndACountThreeField() throws {
        // normal has COUNT 3: each row is x y z nx ny nz intensity, 7 values.
        let file = pcdFile("""
            # .PCD v0.7
            VERSION 0.7
            FIELDS x y z normal intensity
            SIZE 4 4 4 4 4
            TYPE F F F F F
            COUNT 1 1 1 3 1
            WIDTH 3
            HEIGHT 1
            VIEWPOINT 0 0 0 1 0 0 0
            POINTS 3
            DATA ascii
            1.5 -2 0.25 0 0 1 12
            -1e2 3.125E-1 +7 0.1 0.2 0.3 0.5\r
            0.000 1 2 9 9 9 255

            """)
        let cloud = try readPCD(file)
        #expect(cloud.count == 3)
        #expect(cloud.positions == [1.5, -2, 0.25, -100, 0.3125, 7, 0, 1, 2])
        #expect(cloud.intensities == [12, 0.5, 255])
    }

    @Test func readsASCIIIntensityNamedI() throws {
        let file = pcdFile("VERSION 0.7\nFIELDS i x y z\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT 1 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA ascii\n7 1 2 3\n")
        let cloud = try readPCD(file)
        #expect(cloud.positions == [1, 2, 3])
        #expect(cloud.intensities == [7])
        // Without an intensity field there are no intensities.
        let plain = try readPCD(pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nDATA ascii\n1 2 3"))
        #expect(plain.positions == [1, 2, 3])
        #expect(plain.intensities == nil)
    }

    @Test func readsBinaryWithMixedTypesRowMajor() throws {
        // Row: intensity U1 | x F4 | pad U1 ×3 | y F8 | z I2 = 1 + 4 + 3 + 8 + 2 = 18 bytes, unaligned on purpose.
        func row(intensity: UInt8, x: Float, y: Double, z: Int16) -> [UInt8] {
            [intensity] + littleEndian(x.bitPattern) + [9, 9, 9] + littleEndian(y.bitPattern) + littleEndian(z)
        }
        let data = row(intensity: 200, x: 1.5, y: -2.25, z: 7) + row(intensity: 0, x: 0, y: 1000, z: -3)
        let file = pcdFile("""
            VERSION 0.7
            FIELDS intensity x pad y z
            SIZE 1 4 1 8 2
            TYPE U F U F I
            COUNT 1 1 3 1 1
            WIDTH 2
            HEIGHT 1
            VIEWPOINT 0 0 0 1 0 0 0
            POINTS 2
            DATA binary

            """, data)
        let cloud = try readPCD(file)
        #expect(cloud.positions == [1.5, -2.25, 7, 0, 1000, -3])
        #expect(cloud.intensities == [200, 0])
    }

    @Test func readsIntegerTypesOfEverySize() throws {
        // x I8 (-5), y U2 (65535), z I4 (-70000), intensity U8 (2^40), another field I8 ... x as I size 1.
        let data: [UInt8] = [UInt8(bitPattern: -5)] + littleEndian(UInt16(65535)) + littleEndian(Int32(-70000))
            + littleEndian(UInt64(1) << 40) + littleEndian(Int64(-9)) + littleEndian(UInt32(4_000_000_000))
        let file = pcdFile("FIELDS x y z intensity a b\nSIZE 1 2 4 8 8 4\nTYPE I U I U I U\nCOUNT 1 1 1 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA binary\n", data)
        let cloud = try readPCD(file)
        #expect(cloud.positions == [-5, 65535, -70000])
        #expect(cloud.intensities == [Float(UInt64(1) << 40)])
    }

    /// A binary_compressed PCD whose LZF stream is encoded by hand, with back-references (one overlapping
    /// its own output, one with a length byte, one reaching 32 bytes back).
    @Test func readsBinaryCompressedHandEncoded() throws {
        // Column-major data, 52 bytes: x (F4) 1, 1, 1, 2 | y (F4) 0.5 ×4 | z (F4) 1, 1, 1, 3 | intensity (U1) 10, 20, 30, 40.
        let one: [UInt8] = [0x00, 0x00, 0x80, 0x3F], two: [UInt8] = [0x00, 0x00, 0x00, 0x40]
        let half: [UInt8] = [0x00, 0x00, 0x00, 0x3F], three: [UInt8] = [0x00, 0x00, 0x40, 0x40]
        let unpacked = one + one + one + two + half + half + half + half + one + one + one + three + [10, 20, 30, 40]
        #expect(unpacked.count == 52)
        let stream: [UInt8] = [0x03] + one                    // literal run of 4 (ctrl 3)                 -> 4 bytes out
            + [0xC0, 0x03]                                     // ctrl 0xC0: len 6+2 = 8, offset 3+1 = 4    -> 12 (overlaps itself)
            + [0x07] + two + half                              // literal run of 8 (ctrl 7)                 -> 20
            + [0xE0, 0x03, 0x03]                               // len 7 + 3 + 2 = 12, offset 4              -> 32 (rest of y)
            + [0xE0, 0x03, 0x1F]                               // len 12, offset 0x1F + 1 = 32: x's 1, 1, 1 -> 44
            + [0x07] + three + [10, 20, 30, 40]                // literal run of 8                          -> 52
        #expect(stream.count == 31)
        #expect(try LZF.decompress(stream[...], expectedSize: 52) == unpacked)

        let file = pcdFile("VERSION 0.7\nFIELDS x y z intensity\nSIZE 4 4 4 1\nTYPE F F F U\nCOUNT 1 1 1 1\nWIDTH 4\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS 4\nDATA binary_compressed\n",
                           littleEndian(UInt32(31)) + littleEndian(UInt32(52)) + stream)
        let cloud = try readPCD(file)
        #expect(cloud.positions == [1, 0.5, 1, 1, 0.5, 1, 1, 0.5, 1, 2, 0.5, 3])
        #expect(cloud.intensities == [10, 20, 30, 40])
    }

    /// Written by pypcd4 1.5.1 (python-neo-lzf 0.3.5) with fields x y z intensity (F4) and ring (U2), 64 points:
    /// x = i/4, y = i mod 7 - 3, z = x, intensity = 3i mod 256, ring = i mod 16. Its LZF stream has 137
    /// back-references, the farthest 680 bytes back (z's column copying x's), the longest 252 bytes.
    static let pypcd4Compressed = """
        VkVSU0lPTiAwLjcKRklFTERTIHggeSB6IGludGVuc2l0eSByaW5nClNJWkUgNCA0IDQgNCAyClRZUEUgRiBGIEYgRiBVCkNPVU5UIDEgMSAxIDEgMQpXSURUSCA2NApIRUlHSFQgMQpWSUVXUE9JTlQgMC4wIDAuMCAwLjAgMS4wIDAuMCAwLjAgMC4wClBPSU5UUyA2NApEQVRBIGJpbmFyeV9jb21wcmVzc2VkCjUCAACABAAAAQAAQAABgD4gBQM/AABAIAMAgCADAKAgAwDAIAMA4CADBABAAAAQIAMAICADADAgAwBAIAMAUCADAGAgAwBwIAMAgCADAIggAwCQIAMAmCADAKAgAwCoIAMAsCADALggAwDAIAMAyCADANAgAwDYIAMA4CADAOggAwDwIAMA+CADBABBAAAEIAMACCADAAwgAwAQIAMAFCADABggAwAcIAMAICADACQgAwAoIAMALCADADAgAwA0IAMAOCADADwgAwBAIAMARCADAEggAwBMIAMAUCADAFQgAwBYIAMAXCADAGAgAwBkIAMAaCADAGwgAwBwIAMAdCADAHggAwB8IAMBQMAggyADAYC/IAcgAED/QPNA5+DcGyAA4fP/QABB60KnQntCT0IjAJAiGwCoIAMAwCADANggAwDwIAMBBEIgIyADABwgAwAoIAMANCADAEAgAwBMIAMAWCADAGQgAwBwIAMAfCADAIQgAwCKIAMAkCADAJYgAwCcIAMAoiADAKggAwCuIAMAtCADALogAwDAIAMAxiADAMwgAwDSIAMA2CADAN4gAwDkIAMA6iADAPAgAwD2IAMA/CADAQFDIIMgAwAHIAMACiADAA0gAwAQIAMAEyADABYgAwAZIAMAHCADAB8gAwAiIAMAJSADACggAwArIAMALiADADEgAwA0IAMANyADADogAwA9IAMcAQACAAMABAAFAAYABwAIAAkACgALAAwADQAOAA8hHOBTHwEPAA==
        """

    @Test func readsBinaryCompressedWrittenByPypcd4() throws {
        let bytes = [UInt8](Data(base64Encoded: Self.pypcd4Compressed)!)
        #expect(bytes.count == 748)
        #expect(PointCloudReader.sniff(head: Array(bytes.prefix(64)), fileName: "scan.pcd") == .pcd)
        let cloud = try readPCD(bytes)
        #expect(cloud.count == 64)
        for i in 0..<64 {
            let x = Float(i) * 0.25
            #expect(Array(cloud.positions[(3 * i)..<(3 * i + 3)]) == [x, Float(i % 7 - 3), x])
            #expect(cloud.intensities?[i] == Float(i * 3 % 256))
        }
    }

    @Test func dropsNaNPointsOfAnOrganisedCloud() throws {
        let file = binaryXYZ([[1, 2, 3], [.nan, .nan, .nan], [4, 5, 6], [7, .nan, 8]], width: 2, height: 2)
        let cloud = try readPCD(file)
        #expect(cloud.positions == [1, 2, 3, 4, 5, 6])
        let ascii = pcdFile("FIELDS x y z intensity\nSIZE 4 4 4 4\nTYPE F F F F\nWIDTH 3\nHEIGHT 1\nDATA ascii\nnan nan nan 0\n1 2 3 nan\n4 5 6 9\n")
        let fromASCII = try readPCD(ascii)
        #expect(fromASCII.positions == [1, 2, 3, 4, 5, 6])
        #expect(fromASCII.intensities == [0, 9])   // a NaN intensity reads as 0
        #expect(problem { try readPCD(binaryXYZ([[.nan, 0, 0], [0, .nan, 0]])) } == .corrupt("has no points with finite coordinates (all 2 are NaN)"))
    }

    @Test func refusesInfiniteCoordinatesNamingThePoint() {
        #expect(problem { try readPCD(binaryXYZ([[1, 2, 3], [4, 5, 6], [0, .infinity, 0]])) } == .corrupt("has a non-finite coordinate at point 2"))
        let ascii = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 3\nDATA ascii\n1 2 3\n1 2 -inf\n4 5 6\n")
        #expect(problem { try readPCD(ascii) } == .corrupt("has a non-finite coordinate at point 1"))
    }

    @Test func refusesTruncatedAndInconsistentFiles() throws {
        // Header says 4 points; the data holds 3 and a half.
        var short = binaryXYZ([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]])
        short.removeLast(6)
        #expect(problem { try readPCD(short) } == .corrupt("is a truncated PCD (header says 4 points, data holds 3)"))
        let long = binaryXYZ([[1, 2, 3]], width: 1) + float32Bytes([4, 5, 6])
        #expect(problem { try readPCD(long) } == .corrupt("has more data than its header says (header says 1 points, data holds 2)"))
        #expect(problem { try readPCD(binaryXYZ([[1, 2, 3]]) + [1, 2]) } == .corrupt("has 2 stray bytes after its 1 points"))
        #expect(try readPCD(binaryXYZ([[1, 2, 3]]) + [0x0A]).count == 1)   // a stray newline is harmless

        let ascii = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1000\nHEIGHT 1\nPOINTS 1000\nDATA ascii\n" + String(repeating: "1 2 3\n", count: 998))
        #expect(problem { try readPCD(ascii) } == .corrupt("is a truncated PCD (header says 1000 points, data holds 998)"))
        let extra = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nDATA ascii\n1 2 3\n4 5 6\n\n7 8 9")
        #expect(problem { try readPCD(extra) } == .corrupt("has more data than its header says (header says 1 points, data holds 3)"))
        let ragged = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 2\nDATA ascii\n1 2 3\n4 5\n")
        #expect(problem { try readPCD(ragged) } == .corrupt("has 2 values for point 1, where its header says 3"))
        let word = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nDATA ascii\n1 two 3\n")
        #expect(problem { try readPCD(word) } == .corrupt("has a value that is not a number at point 0 ('two')"))

        let mismatch = binaryXYZ([[1, 2, 3], [4, 5, 6]], width: 2, extraHeader: "")
            .replacingFirst(Array("POINTS 2".utf8), with: Array("POINTS 3".utf8))
        #expect(problem { try readPCD(mismatch) } == .corrupt("is a corrupt PCD (WIDTH 2 × HEIGHT 1 is 2 points but POINTS says 3)"))
        #expect(problem { try readPCD(Array("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\n".utf8)) } == .corrupt("is not a complete PCD (its header has no DATA line)"))
        #expect(problem { try readPCD(Array("FIELDS x y z\nSIZE 4 4\nTYPE F F F\nWIDTH 1\nDATA ascii\n".utf8)) } == .corrupt("is a corrupt PCD (its header has 3 FIELDS but 2 SIZE values)"))
        #expect(problem { try readPCD(Array("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 0\nDATA ascii\n".utf8)) } == .corrupt("has no points (its header says 0)"))
        #expect(problem { try readPCD([]) } == .corrupt("is empty"))
    }

    @Test func explainsMissingFieldsAndUnsupportedForms() {
        let noXYZ = pcdFile("FIELDS rgb normal_x label\nSIZE 4 4 4\nTYPE F F U\nWIDTH 1\nDATA ascii\n1 2 3\n")
        #expect(problem { try readPCD(noXYZ) } == .corrupt("has no x, y, z fields (fields: rgb normal_x label)"))
        let half = pcdFile("FIELDS x y z\nSIZE 2 4 4\nTYPE F F F\nWIDTH 1\nDATA binary\n")
        #expect(problem { try readPCD(half) } == .unsupported("has a field x of TYPE F SIZE 2, which Gloss does not read (it reads F of size 4 or 8, I and U of size 1, 2, 4 or 8)"))
        let zipped = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nDATA binaryscompressed\n")
        #expect(problem { try readPCD(zipped) } == .unsupported("has DATA binaryscompressed; Gloss reads ascii, binary and binary_compressed PCD"))
        let huge = pcdFile("FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 5000001\nHEIGHT 1\nDATA binary\n")
        #expect(problem { try readPCD(huge) } == .unsupported("has 5,000,001 points; Gloss reads at most 5,000,000"))
    }

    @Test func refusesCorruptCompressedData() {
        let header = "FIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA binary_compressed\n"
        // A back-reference at the very start has nothing to refer to.
        let backFirst = pcdFile(header, littleEndian(UInt32(2)) + littleEndian(UInt32(12)) + [0x20, 0x00])
        #expect(problem { try readPCD(backFirst) } == .corrupt("is a corrupt PCD (its binary_compressed data refers back before its start (at byte 0))"))
        // A literal run of 12 declared but only 3 bytes follow.
        let cut = pcdFile(header, littleEndian(UInt32(4)) + littleEndian(UInt32(12)) + [0x0B, 1, 2, 3])
        #expect(problem { try readPCD(cut) } == .corrupt("is a corrupt PCD (its binary_compressed data ends inside a literal run (at byte 0))"))
        let sizes = pcdFile(header, littleEndian(UInt32(4)) + littleEndian(UInt32(16)) + [0x0B, 1, 2, 3])
        #expect(problem { try readPCD(sizes) } == .corrupt("is a corrupt PCD (its compressed data unpacks to 16 bytes, but 1 points of 12 bytes need 12)"))
        let short = pcdFile(header, littleEndian(UInt32(40)) + littleEndian(UInt32(12)) + [0x0B, 1, 2, 3])
        #expect(problem { try readPCD(short) } == .corrupt("is a truncated PCD (its compressed data should be 40 bytes, the file holds 4)"))
        let noSizes = pcdFile(header, [1, 2, 3])
        #expect(problem { try readPCD(noSizes) } == .corrupt("is a truncated PCD (its binary_compressed data has no size header)"))
        let tooFew = pcdFile(header, littleEndian(UInt32(5)) + littleEndian(UInt32(12)) + [0x03, 1, 2, 3, 4])
        #expect(problem { try readPCD(tooFew) } == .corrupt("is a corrupt PCD (its binary_compressed data unpacks to 4 bytes, not its stated 12)"))
    }

    @Test func readsKITTIBin() throws {
        let bytes = float32Bytes([10, -2, 0.5, 0.25, 3, 4, -1.5, 1])
        let cloud = try PointCloudReader.read(bytes, format: .kittiBin)
        #expect(cloud.count == 2)
        #expect(cloud.positions == [10, -2, 0.5, 3, 4, -1.5])
        #expect(cloud.intensities == [0.25, 1])
        #expect(problem { try PointCloudReader.read(bytes + [0], format: .kittiBin) }
            == .corrupt("is not a KITTI .bin point cloud (33 bytes is not a multiple of 16, the size of one x, y, z, intensity point)"))
        #expect(problem { try PointCloudReader.read([], format: .kittiBin) } == .corrupt("is empty"))
        #expect(problem { try PointCloudReader.read(float32Bytes([1, 2, 3, 0, 1, .nan, 3, 0]), format: .kittiBin) } == .corrupt("has a non-finite value at point 1"))
    }

    @Test func reads120000PointBinaryPCD() throws {
        // x I, y -I, z I mod 97, intensity U1 I mod 256.
        let count = 120_000
        var data: [UInt8] = []
        data.reserveCapacity(count * 13)
        for index in 0..<count {
            data += float32Bytes([Float(index), -Float(index), Float(index % 97)])
            data.append(UInt8(index % 256))
        }
        let file = pcdFile("FIELDS x y z intensity\nSIZE 4 4 4 1\nTYPE F F F U\nCOUNT 1 1 1 1\nWIDTH \(count)\nHEIGHT 1\nPOINTS \(count)\nDATA binary\n", data)
        let cloud = try readPCD(file)
        #expect(cloud.count == count)
        #expect(cloud.positions[3 * 119_999 ..< 3 * 120_000] == [119_999, -119_999, Float(119_999 % 97)])
        #expect(cloud.intensities?[300] == 44)
    }

    @Test func parsesDecimalNumbersExactly() {
        func parse(_ text: String) -> Double? {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { PointCloudReader.parseNumber($0, 0, bytes.count) }
        }
        for text in ["0", "-0.5", "1.25e3", "3.14159265358979", "6.02214076e23", "1e-30", "123456789012345678901234", "0.1", "-7.0000000000", ".5", "5."] {
            #expect(parse(text) == Double(text), "\(text)")
        }
        #expect(parse("nan")!.isNaN)
        #expect(parse("-inf") == -.infinity)
        #expect(parse("1e") == nil)
        #expect(parse("-") == nil)
        #expect(parse("1.2.3") == nil)
        #expect(parse("abc") == nil)
    }
}

// MARK: - Compact points

@Suite("Point clouds: the GPC1 compact form")
struct CompactPointsTests {
    @Test func encodesTheDocumentedLayout() {
        let cloud = PointCloud(positions: [1, -2, 3, -4, 5, 0.5], intensities: [10, 30])
        let bytes = CompactPoints.encode(cloud)
        #expect(bytes.count == 36 + 2 * 12 + 2)
        #expect(Array(bytes[0..<4]) == Array("GPC1".utf8))
        #expect(Array(bytes[4..<8]) == [2, 0, 0, 0])
        #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])
        #expect(Array(bytes[12..<36]) == float32Bytes([-4, -2, 0.5, 1, 5, 3]))
        #expect(Array(bytes[36..<60]) == float32Bytes([1, -2, 3, -4, 5, 0.5]))
        #expect(Array(bytes[60..<62]) == [0, 255])
    }

    @Test func roundTripsPositionsAndQuantisesIntensities() throws {
        let cloud = PointCloud(positions: [0, 0, 0, 1.5, -2.25, 3e5, -0.001, 7, 8], intensities: [0.25, 0.75, 0.5])
        let decoded = try #require(CompactPoints.decode(CompactPoints.encode(cloud)))
        #expect(decoded.positions == cloud.positions)
        // (0.5 - 0.25) / 0.5 × 255 = 127.5, rounds half away from zero to 128.
        #expect(decoded.intensities == [0, 255, 128])
        let plain = PointCloud(positions: [1, 2, 3])
        let plainBytes = CompactPoints.encode(plain)
        #expect(plainBytes.count == 48)
        #expect(CompactPoints.decode(plainBytes) == plain)
        let flat = CompactPoints.decode(CompactPoints.encode(PointCloud(positions: [1, 2, 3, 4, 5, 6], intensities: [9, 9])))
        #expect(flat?.intensities == [0, 0])
        let empty = CompactPoints.encode(PointCloud(positions: []))
        #expect(empty.count == 36)
        #expect(CompactPoints.decode(empty) == PointCloud(positions: []))
        #expect(CompactPoints.bounds(PointCloud(positions: [])).min == [0, 0, 0])
    }

    @Test func decodeRefusesMalformedBytes() {
        let good = CompactPoints.encode(PointCloud(positions: [1, 2, 3], intensities: [5]))
        #expect(CompactPoints.decode(good) != nil)
        #expect(CompactPoints.decode(Array(good.dropLast())) == nil)
        #expect(CompactPoints.decode(good + [0]) == nil)
        var magic = good
        magic[3] = UInt8(ascii: "2")
        #expect(CompactPoints.decode(magic) == nil)
        var flags = good
        flags[8] = 3
        #expect(CompactPoints.decode(flags) == nil)
        #expect(CompactPoints.decode(Array(good.prefix(20))) == nil)
    }
}

// MARK: - Boxes

@Suite("Point clouds: cuboids, IoU, snapping and interpolation")
struct CuboidTests {
    @Test func containsCornersAndVolume() {
        let box = Cuboid(x: 1, y: 2, z: 0, length: 4, width: 2, height: 1, yaw: .pi / 2)
        // Heading +y: length runs along y (0 ... 4), width along x (0 ... 2).
        #expect(box.contains(x: 1, y: 3.9, z: 0.4))
        #expect(!box.contains(x: 1, y: 4.1, z: 0))
        #expect(box.contains(x: 1.95, y: 2, z: 0))
        #expect(!box.contains(x: 2.05, y: 2, z: 0))
        #expect(!box.contains(x: 1, y: 2, z: 0.51))
        #expect(box.volume == 8)
        let corners = box.corners
        #expect(corners.count == 8)
        // 0 front-right-bottom: centre + 2·heading(0, 1) + 1·right(1, 0) = (2, 4, -0.5); 1 front-left (0, 4); 2 rear-left (0, 0); 3 rear-right (2, 0).
        let expected: [[Double]] = [[2, 4, -0.5], [0, 4, -0.5], [0, 0, -0.5], [2, 0, -0.5], [2, 4, 0.5], [0, 4, 0.5], [0, 0, 0.5], [2, 0, 0.5]]
        for (corner, want) in zip(corners, expected) {
            #expect(zip(corner, want).allSatisfy { isClose($0, $1, 1e-12) }, "\(corner) vs \(want)")
        }
    }

    @Test func iouByHand() {
        let a = Cuboid(x: 0, y: 0, z: 0, length: 2, width: 2, height: 2)
        #expect(Cuboids.iou3D(a, a) == 1)
        let rotated = Cuboid(x: 3, y: -1, z: 0.2, length: 4.1, width: 1.7, height: 1.4, yaw: 2.2)
        #expect(Cuboids.iou3D(rotated, rotated) == 1)
        // Disjoint, and merely touching, share nothing.
        #expect(Cuboids.iou3D(a, Cuboid(x: 5, y: 0, z: 0, length: 2, width: 2, height: 2)) == 0)
        #expect(Cuboids.iou3D(a, Cuboid(x: 2, y: 0, z: 0, length: 2, width: 2, height: 2)) == 0)
        #expect(Cuboids.iou3D(a, Cuboid(x: 0, y: 0, z: 2, length: 2, width: 2, height: 2)) == 0)
        // Half overlap along x: intersection 1·2·2 = 4, union 8 + 8 - 4 = 12.
        let shifted = Cuboid(x: 1, y: 0, z: 0, length: 2, width: 2, height: 2)
        #expect(isClose(Cuboids.bevIntersectionArea(a, shifted), 2))
        #expect(isClose(Cuboids.iou3D(a, shifted), 1.0 / 3))
        // A unit square and itself turned 45°: the overlap is a regular octagon, the square less four corner triangles
        // with legs 1 - √2/2: 1 - 4·(1 - √2/2)²/2 = 2√2 - 2 = 2(√2 - 1) ≈ 0.828427. IoU = (2√2 - 2)/(2 - (2√2 - 2))
        // = (√2 - 1)/(2 - √2) = 1/√2.
        let unit = Cuboid(x: 0, y: 0, z: 0, length: 1, width: 1, height: 1)
        let diamond = Cuboid(x: 0, y: 0, z: 0, length: 1, width: 1, height: 1, yaw: .pi / 4)
        #expect(isClose(Cuboids.bevIntersectionArea(unit, diamond), 2 * (2.0.squareRoot() - 1), 1e-12))
        #expect(isClose(Cuboids.iou3D(unit, diamond), 1 / 2.0.squareRoot(), 1e-12))
        // Same footprint (turned 0.7 rad), heights 2 overlapping by 1: intersection A·1, union 2A + 2A - A = 3A.
        let low = Cuboid(x: 1, y: 1, z: 0, length: 3, width: 1.5, height: 2, yaw: 0.7)
        var high = low
        high.z = 1
        #expect(isClose(Cuboids.iou3D(low, high), 1.0 / 3, 1e-12))
        // A box inside another: intersection is the small one, 1·1·1 over 2·2·2.
        #expect(isClose(Cuboids.iou3D(a, Cuboid(x: 0.2, y: -0.3, z: 0.1, length: 1, width: 1, height: 1, yaw: 1)), 1.0 / 8, 1e-12))
        // Yaw and yaw + π are the same box.
        #expect(isClose(Cuboids.iou3D(low, Cuboid(x: 1, y: 1, z: 0, length: 3, width: 1.5, height: 2, yaw: 0.7 + .pi)), 1, 1e-12))
    }

    /// Random pairs, their BEV intersection area and 3D IoU from shapely 2.2.0 (polygon intersection area times
    /// z overlap over the union volume), numpy seed 7.
    @Test func iouMatchesShapely() {
        let cases: [(Cuboid, Cuboid, Double, Double)] = [
            (Cuboid(x: 0.5, y: 1.589, z: 0.276, length: 1.901, width: 1.1, height: 1.81, yaw: -3.109),
             Cuboid(x: 1.464, y: 2.48, z: 0.244, length: 2.212, width: 1.057, height: 0.882, yaw: -0.345), 0.0742994953652287, 0.0113347055729461),
            (Cuboid(x: 0.018, y: 0.214, z: 0.496, length: 4.171, width: 1.744, height: 1.983, yaw: -1.789),
             Cuboid(x: -1.001, y: 0.552, z: 0.04, length: 1.143, width: 1.53, height: 1.199, yaw: 2.621), 0.560251951559873, 0.0400288301779277),
            (Cuboid(x: 0.517, y: 0.056, z: -0.003, length: 1.99, width: 0.524, height: 0.789, yaw: 1.207),
             Cuboid(x: -0.381, y: -0.335, z: -0.499, length: 4.32, width: 0.809, height: 0.901, yaw: 2.39), 0.241578052466941, 0.0216886891795256),
            (Cuboid(x: 0.039, y: 1.389, z: 0.14, length: 3.967, width: 0.683, height: 1.312, yaw: 0.049),
             Cuboid(x: 1.153, y: 0.973, z: 0.238, length: 1.237, width: 1.275, height: 0.985, yaw: -2.198), 0.575516047717233, 0.124824382951975),
            (Cuboid(x: 1.265, y: -0.482, z: 0.479, length: 3.36, width: 1.71, height: 1.457, yaw: 1.109),
             Cuboid(x: 0.217, y: -0.661, z: 0.219, length: 2.61, width: 0.693, height: 1.952, yaw: -1.791), 0.761102595165282, 0.101773277756101),
            (Cuboid(x: 0.687, y: -0.798, z: 0.374, length: 3.649, width: 0.763, height: 1.768, yaw: 2.796),
             Cuboid(x: 1.899, y: -0.589, z: 0.019, length: 1.77, width: 2.356, height: 1.328, yaw: -2.007), 1.27215009535534, 0.16971130474013),
            (Cuboid(x: 1.536, y: 0.566, z: 0.07, length: 2.505, width: 1.322, height: 0.859, yaw: -2.902),
             Cuboid(x: 2.665, y: 0.469, z: 0.118, length: 2.289, width: 2.003, height: 0.538, yaw: -0.803), 1.71442906125301, 0.210154803735512),
            (Cuboid(x: -1.879, y: -1.508, z: 0.467, length: 3.631, width: 1.356, height: 1.286, yaw: 2.342),
             Cuboid(x: -2.346, y: -1.237, z: 0.651, length: 2.422, width: 1.538, height: 1.648, yaw: 2.571), 3.07998830541275, 0.463858548451256),
        ]
        for (a, b, area, iou) in cases {
            #expect(isClose(Cuboids.bevIntersectionArea(a, b), area, 1e-9))
            #expect(isClose(Cuboids.bevIntersectionArea(b, a), area, 1e-9))
            #expect(isClose(Cuboids.iou3D(a, b), iou, 1e-9))
            #expect(isClose(Cuboids.iou3D(b, a), iou, 1e-9))
        }
    }

    @Test func interpolatesTheShortWayRound() {
        let degree = Double.pi / 180
        let a = Cuboid(x: 0, y: 0, z: 0, length: 4, width: 2, height: 1.5, yaw: 170 * degree)
        let b = Cuboid(x: 10, y: -2, z: 1, length: 5, width: 2, height: 1.5, yaw: -170 * degree)
        let quarter = Cuboids.interpolate(a, b, t: 0.25)
        #expect(isClose(quarter.x, 2.5) && isClose(quarter.y, -0.5) && isClose(quarter.z, 0.25) && isClose(quarter.length, 4.25))
        #expect(isClose(quarter.yaw, 175 * degree, 1e-12))
        #expect(isClose(Cuboids.interpolate(a, b, t: 0.5).yaw, .pi, 1e-12))          // 180°, in (-π, π]
        #expect(isClose(Cuboids.interpolate(a, b, t: 0.75).yaw, -175 * degree, 1e-12))
        #expect(isClose(Cuboids.interpolate(b, a, t: 0.75).yaw, 175 * degree, 1e-12))
        #expect(Cuboids.interpolate(a, b, t: 0) == a)
        // Ordinary turns go directly.
        let c = Cuboid(x: 0, y: 0, z: 0, length: 1, width: 1, height: 1, yaw: -0.5)
        let d = Cuboid(x: 0, y: 0, z: 0, length: 1, width: 1, height: 1, yaw: 1.5)
        #expect(isClose(Cuboids.interpolate(c, d, t: 0.5).yaw, 0.5, 1e-12))
        #expect(Cuboids.normalizedAngle(-.pi) == .pi)
        #expect(Cuboids.normalizedAngle(.pi) == .pi)
        #expect(isClose(Cuboids.normalizedAngle(7), 7 - 2 * .pi, 1e-12))
        #expect(isClose(Cuboids.normalizedAngle(-4), -4 + 2 * .pi, 1e-12))
        #expect(isClose(Cuboids.normalizedAngle(12 * .pi + 0.25), 0.25, 1e-9))
    }

    @Test func tracksInterpolateBetweenKeyframesOnly() throws {
        let first = Cuboid(x: 0, y: 0, z: -1, length: 4, width: 2, height: 1.5, yaw: 3)
        let second = Cuboid(x: 10, y: 5, z: -1, length: 4, width: 2, height: 1.5, yaw: -3)
        let third = Cuboid(x: 12, y: 5, z: -1, length: 4, width: 2, height: 1.5, yaw: -3)
        // Given out of order on purpose.
        let keyframes = [CuboidKeyframe(frame: 20, box: third), CuboidKeyframe(frame: 2, box: first), CuboidKeyframe(frame: 12, box: second)]
        #expect(CuboidTracks.box(at: 1, keyframes: keyframes) == nil)
        #expect(CuboidTracks.box(at: 21, keyframes: keyframes) == nil)
        #expect(CuboidTracks.box(at: 2, keyframes: keyframes) == first)
        #expect(CuboidTracks.box(at: 12, keyframes: keyframes) == second)
        #expect(CuboidTracks.box(at: 20, keyframes: keyframes) == third)
        let middle = try #require(CuboidTracks.box(at: 7, keyframes: keyframes))
        #expect(isClose(middle.x, 5) && isClose(middle.y, 2.5))
        #expect(isClose(abs(middle.yaw), .pi, 1e-12))   // 3 → -3 across ±π: halfway is π
        let late = try #require(CuboidTracks.box(at: 16, keyframes: keyframes))
        #expect(isClose(late.x, 11))
        #expect(CuboidTracks.box(at: 0, keyframes: []) == nil)
        #expect(CuboidTracks.box(at: 5, keyframes: [CuboidKeyframe(frame: 5, box: first)]) == first)
    }

    @Test func pointsInsideATurnedBox() {
        // Box centred (10, 5, 0), 4 long, 2 wide, 2 high, heading 90° (+y).
        let box = Cuboid(x: 10, y: 5, z: 0, length: 4, width: 2, height: 2, yaw: .pi / 2)
        let cloud = PointCloud(positions: [
            10, 5, 0,         // 0 centre: in
            10, 6.9, 0.9,     // 1 near the front end: in
            10, 7.1, 0,       // 2 past the front: out
            10.9, 5, 0,       // 3 near the side: in
            11.1, 5, 0,       // 4 past the side (would be in if the box were not turned): out
            12, 5, 0,         // 5 out
            10, 3.2, -0.99,   // 6 near the rear, bottom: in
            10, 5, 1.2,       // 7 above: out
        ])
        #expect(Cuboids.pointsInside(box, cloud) == [0, 1, 3, 6])
        #expect(Cuboids.pointsInside(box, PointCloud(positions: [])) == [])
    }

    @Test func fittedSnapsToThePointsKeepingYaw() throws {
        // Points of a true box (centre (5, -2, 0.3), 4 × 1.6 × 1.2, yaw 0.6) on its 8 corners and faces, an outlier far away.
        let truth = Cuboid(x: 5, y: -2, z: 0.3, length: 4, width: 1.6, height: 1.2, yaw: 0.6)
        var positions: [Float] = []
        for corner in truth.corners { positions += corner.map { Float($0) } }
        positions += [Float(truth.x), Float(truth.y), Float(truth.z), 40, 40, 0]
        let cloud = PointCloud(positions: positions)
        // A rough box: shifted 0.05 m, a little small; grown by the 0.1 m margin it reaches every corner.
        let rough = Cuboid(x: 5.05, y: -2, z: 0.32, length: 3.9, width: 1.5, height: 1.15, yaw: 0.6)
        let fitted = try #require(Cuboids.fitted(rough, to: cloud))
        #expect(isClose(fitted.x, 5, 1e-5) && isClose(fitted.y, -2, 1e-5) && isClose(fitted.z, 0.3, 1e-5))
        #expect(isClose(fitted.length, 4, 1e-5) && isClose(fitted.width, 1.6, 1e-5) && isClose(fitted.height, 1.2, 1e-5))
        #expect(fitted.yaw == 0.6)
        #expect(Cuboids.iou3D(fitted, truth) > 0.9999)
        // Without a margin the rough box misses the corners and snaps to the centre point alone.
        let tight = try #require(Cuboids.fitted(rough, to: cloud, margin: 0))
        #expect(tight.length == 0 && tight.width == 0 && tight.height == 0)
        #expect(Cuboids.fitted(Cuboid(x: -50, y: 0, z: 0, length: 1, width: 1, height: 1), to: cloud) == nil)
        // A grown box that reaches the outlier takes it in.
        let wide = try #require(Cuboids.fitted(Cuboid(x: 20, y: 20, z: 0, length: 80, width: 80, height: 2, yaw: 0), to: cloud))
        #expect(isClose(wide.x + wide.length / 2, 40, 1e-5))
    }
}

// MARK: - KITTI

@Suite("Point clouds: KITTI calibration and labels")
struct KITTITests {
    /// KITTI object training frame 000000's calibration, as distributed.
    static let calibrationText = """
        P0: 7.070493000000e+02 0.000000000000e+00 6.040814000000e+02 0.000000000000e+00 0.000000000000e+00 7.070493000000e+02 1.805066000000e+02 0.000000000000e+00 0.000000000000e+00 0.000000000000e+00 1.000000000000e+00 0.000000000000e+00
        P1: 7.070493000000e+02 0.000000000000e+00 6.040814000000e+02 -3.797842000000e+02 0.000000000000e+00 7.070493000000e+02 1.805066000000e+02 0.000000000000e+00 0.000000000000e+00 0.000000000000e+00 1.000000000000e+00 0.000000000000e+00
        P2: 7.070493000000e+02 0.000000000000e+00 6.040814000000e+02 4.575831000000e+01 0.000000000000e+00 7.070493000000e+02 1.805066000000e+02 -3.454157000000e-01 0.000000000000e+00 0.000000000000e+00 1.000000000000e+00 4.981016000000e-03
        P3: 7.070493000000e+02 0.000000000000e+00 6.040814000000e+02 -3.341081000000e+02 0.000000000000e+00 7.070493000000e+02 1.805066000000e+02 2.330660000000e+00 0.000000000000e+00 0.000000000000e+00 1.000000000000e+00 3.201153000000e-03
        R0_rect: 9.999128000000e-01 1.009263000000e-02 -8.511932000000e-03 -1.012729000000e-02 9.999406000000e-01 -4.037671000000e-03 8.470675000000e-03 4.123522000000e-03 9.999556000000e-01
        Tr_velo_to_cam: 6.927964000000e-03 -9.999722000000e-01 -2.757829000000e-03 -2.457729000000e-02 -1.162982000000e-03 2.749836000000e-03 -9.999955000000e-01 -6.127237000000e-02 9.999753000000e-01 6.931141000000e-03 -1.143899000000e-03 -3.321029000000e-01
        Tr_imu_to_velo: 9.999976000000e-01 7.553071000000e-04 -2.035826000000e-03 -8.086759000000e-01 -7.854027000000e-04 9.998898000000e-01 -1.482298000000e-02 3.195559000000e-01 2.024406000000e-03 1.482454000000e-02 9.998881000000e-01 -7.997231000000e-01

        """

    /// A KITTI-style calibration with round numbers: Tr's rotation maps velo (x fwd, y left, z up) to camera
    /// (x right, y down, z fwd): [[0,-1,0],[0,0,-1],[1,0,0]], translation (0, -0.08, -0.27); R0 the identity;
    /// P2 = [[700, 0, 600, 35], [0, 700, 180, 0], [0, 0, 1, 0]].
    static let simple = KITTICalibration(
        p2: [700, 0, 600, 35, 0, 700, 180, 0, 0, 0, 1, 0],
        r0Rect: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        trVeloToCam: [0, -1, 0, 0, 0, 0, -1, -0.08, 1, 0, 0, -0.27])

    @Test func parsesACalibrationFile() throws {
        let calibration = try KITTICalibration.parse(Self.calibrationText)
        // Compared with a tolerance: on x86 Swift rounds a decimal literal such as 0.9999556 through Float80 and can
        // land one unit in the last place away from the correctly rounded Double that parsing gives.
        #expect(calibration.p2.count == 12 && isClose(calibration.p2[3], 45.75831, 1e-13) && isClose(calibration.p2[11], 4.981016e-03, 1e-16))
        #expect(calibration.r0Rect.count == 9 && isClose(calibration.r0Rect[0], 0.9999128, 1e-15) && isClose(calibration.r0Rect[8], 0.9999556, 1e-15))
        #expect(calibration.trVeloToCam.count == 12 && isClose(calibration.trVeloToCam[11], -0.3321029, 1e-15))
        // CRLF line ends and the tracking benchmark's key names.
        let tracking = try KITTICalibration.parse("P2: 1 0 0 0 0 1 0 0 0 0 1 0\r\nR_rect: 1 0 0 0 1 0 0 0 1\r\nTr_velo_cam: 0 -1 0 0 0 0 -1 0 1 0 0 0\r\n")
        #expect(tracking.r0Rect == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(tracking.trVeloToCam[1] == -1)
    }

    @Test func calibrationErrorsNameTheKeyOrLine() {
        func failure(_ text: String) -> PointCloudProblem? {
            do { _ = try KITTICalibration.parse(text); return nil } catch { return error }
        }
        let withoutR0 = Self.calibrationText.split(separator: "\n").filter { !$0.hasPrefix("R0_rect") }.joined(separator: "\n")
        #expect(failure(withoutR0) == .corrupt("is not a complete KITTI calibration (it has no R0_rect line)"))
        #expect(failure("") == .corrupt("is not a complete KITTI calibration (it has no P2 line)"))
        let shortP2 = Self.calibrationText.replacingOccurrences(of: "P2: 7.070493000000e+02 ", with: "P2: ")
        #expect(failure(shortP2) == .corrupt("is a corrupt KITTI calibration (line 3, P2, has 11 numbers, not 12)"))
        let word = Self.calibrationText.replacingOccurrences(of: "Tr_velo_to_cam: 6.927964000000e-03", with: "Tr_velo_to_cam: six")
        #expect(failure(word) == .corrupt("is a corrupt KITTI calibration (line 6, Tr_velo_to_cam, has 'six', which is not a number)"))
        #expect(failure("P2 1 2 3\n") == .corrupt("is not a KITTI calibration file (line 1 is not 'KEY: numbers')"))
    }

    @Test func labelWithIdentityRectification() {
        // Box: centre (20, 2, -0.9), 4 long, 2 wide, 1.6 high, yaw 0 (heading +x, straight ahead, 2 m to the left).
        let box = Cuboid(x: 20, y: 2, z: -0.9, length: 4, width: 2, height: 1.6, yaw: 0)
        let label = KITTILabels.label(for: box, type: "Car", calibration: Self.simple)
        // Bottom centre (20, 2, -1.7) → camera (-y, -z - 0.08, x - 0.27) = (-2, 1.62, 19.73).
        #expect(zip(label.location, [-2, 1.62, 19.73]).allSatisfy { isClose($0, $1, 1e-12) })
        #expect(label.dimensions == [1.6, 2, 4])
        // Heading (1, 0, 0) → camera (0, 0, 1): ry = -atan2(1, 0) = -π/2 (= -yaw - π/2).
        #expect(isClose(label.rotationY, -.pi / 2, 1e-12))
        // alpha = ry - atan2(x, z) = -π/2 - atan2(-2, 19.73) = -1.5707963 + 0.1010234 = -1.4697729.
        #expect(isClose(label.alpha, -.pi / 2 - atan2(-2, 19.73), 1e-12))
        #expect(isClose(label.alpha, -1.469772933536946, 1e-12))
        // Corners in camera: X = -y ∈ {-1, -3}, Y = -z - 0.08 ∈ {1.62, 0.02}, Z = x - 0.27 ∈ {17.73, 21.73}.
        // u = (700X + 35)/Z + 600, v = 700Y/Z + 180:
        //   left   = 600 + (-2100 + 35)/17.73 = 600 - 116.46926 = 483.53074 (X = -3, near)
        //   right  = 600 + (-700 + 35)/21.73  = 600 - 30.60285  = 569.39715 (X = -1, far)
        //   top    = 180 + 14/21.73           = 180.64427      (Y = 0.02, far)
        //   bottom = 180 + 1134/17.73         = 243.95939      (Y = 1.62, near)
        let left: Double = 600 + (-2100 + 35) / 17.73, top: Double = 180 + 14 / 21.73
        let right: Double = 600 + (-700 + 35) / 21.73, bottom: Double = 180 + 1134 / 17.73
        let want = [left, top, right, bottom]
        #expect(zip(label.bbox, want).allSatisfy { isClose($0, $1, 1e-9) }, "\(label.bbox)")
        #expect(isClose(label.bbox[0], 483.5307388607, 1e-6) && isClose(label.bbox[3], 243.9593908629, 1e-6))
        #expect(label.truncated == 0)
        #expect(label.occluded == 0)
        #expect(label.line == "Car 0.00 0 -1.47 483.53 180.64 569.40 243.96 1.60 2.00 4.00 -2.00 1.62 19.73 -1.57")
        // Wholly inside a 1242 × 375 image: the same box, not truncated.
        let inImage = KITTILabels.label(for: box, type: "Car", calibration: Self.simple, imageSize: (1242, 375), occluded: 2)
        #expect(inImage.bbox == label.bbox && inImage.truncated == 0 && inImage.occluded == 2)
    }

    @Test func rotationYIsMinusYawMinusHalfPiForTheStandardTransform() {
        for yaw in [0.3, 2.5, -1.0, -3.0, 1.2] {
            let box = Cuboid(x: 20, y: 2, z: -0.9, length: 4, width: 2, height: 1.6, yaw: yaw)
            let label = KITTILabels.label(for: box, type: "Car", calibration: Self.simple)
            #expect(isClose(label.rotationY, Cuboids.normalizedAngle(-yaw - .pi / 2), 1e-12), "yaw \(yaw)")
            #expect(label.rotationY > -.pi && label.rotationY <= .pi)
        }
        // 2.5: -2.5 - π/2 = -4.0708 → +2.2124 (numpy: 2.2123889803846897).
        let turned = KITTILabels.label(for: Cuboid(x: 20, y: 2, z: -0.9, length: 4, width: 2, height: 1.6, yaw: 2.5), type: "Car", calibration: Self.simple)
        #expect(isClose(turned.rotationY, 2.2123889803846897, 1e-12))
    }

    @Test func truncationAtTheImageEdge() {
        // Box centre (10, 7, -0.9), 4 × 2 × 1.6, yaw 0: camera X ∈ {-8, -6}, Y ∈ {0.02, 1.62}, Z ∈ {7.73, 11.73}.
        //   left   = 600 + (-5600 + 35)/7.73  = -119.92238
        //   right  = 600 + (-4200 + 35)/11.73 =  244.92754
        //   top    = 180 + 14/11.73           =  181.19352
        //   bottom = 180 + 1134/7.73          =  326.70116
        // Clipped to 0 ... 1241: left 0. truncated = 1 - 244.92754 / (244.92754 + 119.92238) = 0.3286896.
        let box = Cuboid(x: 10, y: 7, z: -0.9, length: 4, width: 2, height: 1.6, yaw: 0)
        let free = KITTILabels.label(for: box, type: "Car", calibration: Self.simple)
        #expect(isClose(free.bbox[0], 600 + (-5600 + 35) / 7.73, 1e-9) && free.truncated == 0)
        let label = KITTILabels.label(for: box, type: "Car", calibration: Self.simple, imageSize: (1242, 375))
        let right: Double = 600 + (-4200 + 35) / 11.73, left: Double = 600 + (-5600 + 35) / 7.73
        let top: Double = 180 + 14 / 11.73, bottom: Double = 180 + 1134 / 7.73
        #expect(zip(label.bbox, [0, top, right, bottom]).allSatisfy { isClose($0, $1, 1e-9) })
        #expect(isClose(label.truncated, 1 - right / (right - left), 1e-12))
        #expect(isClose(label.truncated, 0.3286896197327852, 1e-12))
        // alpha = -π/2 - atan2(-7, 9.73) = -0.9471524.
        #expect(isClose(label.alpha, -0.9471524207194033, 1e-12))
        #expect(label.line == "Car 0.33 0 -0.95 0.00 181.19 244.93 326.70 1.60 2.00 4.00 -7.00 1.62 9.73 -1.57")
    }

    @Test func boxesReachingBehindTheCamera() {
        // Centre (1, -1, -0.9), 4 long: camera Z from -1.27 to 2.73. The part in front of Z = 0.1 projects; its
        // near corners at Z = 0.1 (X = 2, Y = 1.62 → u = 600 + (1400 + 35)/0.1, v = 180 + 1134/0.1) lie far outside
        // the image, so the box is clamped to it and almost all of it is cut off.
        let box = Cuboid(x: 1, y: -1, z: -0.9, length: 4, width: 2, height: 1.6, yaw: 0)
        let label = KITTILabels.label(for: box, type: "Car", calibration: Self.simple, imageSize: (1242, 375))
        // Left: the far corners X = 0, Z = 2.73: 600 + 35/2.73 = 612.8205; top: Y = 0.02 at Z = 2.73: 180 + 14/2.73 = 185.1282.
        let left: Double = 600 + 35 / 2.73, top: Double = 180 + 14 / 2.73
        #expect(zip(label.bbox, [left, top, 1241, 374]).allSatisfy { isClose($0, $1, 1e-9) }, "\(label.bbox)")
        #expect(isClose(label.truncated, 0.9992699198786215, 1e-9))
        // Entirely behind: no box, wholly truncated.
        let behind = KITTILabels.label(for: Cuboid(x: -10, y: 0, z: -0.9, length: 4, width: 2, height: 1.6), type: "Car", calibration: Self.simple)
        #expect(behind.bbox == [0, 0, 0, 0] && behind.truncated == 1)
    }

    @Test func labelWithRealRectification() throws {
        let calibration = try KITTICalibration.parse(Self.calibrationText)
        let box = Cuboid(x: 15, y: -3, z: -0.8, length: 4.2, width: 1.7, height: 1.5, yaw: 0.5)
        let label = KITTILabels.label(for: box, type: "Car", calibration: calibration, imageSize: (1242, 375))
        // M = R0·R(Tr) = [[-0.0015960994, -0.9999162467, -0.0128404363],
        //                 [-0.0052706457,  0.0128486955, -0.9999035522],
        //                 [ 0.99998479,   -0.0015282672, -0.0052907123]],  R0·t = (-0.0223667089, -0.0596789068, -0.3325489988).
        // Bottom centre (15, -3, -1.55): x = -0.0015961·15 + 0.9999162·3 + 0.0128404·1.55 - 0.0223667 = 2.9733432
        //                                y = -0.0052706·15 - 0.0128487·3 + 0.9999036·1.55 - 0.0596789 = 1.3725658
        //                                z =  0.9999848·15 + 0.0015283·3 + 0.0052907·1.55 - 0.3325490 = 14.6800083
        #expect(zip(label.location, [2.9733432163, 1.3725658275, 14.6800082577]).allSatisfy { isClose($0, $1, 1e-9) }, "\(label.location)")
        // Heading (cos 0.5, sin 0.5, 0) = (0.8775826, 0.4794255, 0) → d = M·h: d.x = -0.0015961·0.8775826 - 0.9999162·0.4794255
        // = -0.4807919, d.z = 0.9999848·0.8775826 - 0.0015283·0.4794255 = 0.8768359; ry = -atan2(0.8768359, -0.4807919)
        // = -2.0723480 (the identity-R0 formula would give -0.5 - π/2 = -2.0707963; R0 and Tr's small tilts add 0.0016).
        #expect(isClose(label.rotationY, -2.0723479989883664, 1e-9))
        // alpha = ry - atan2(2.9733432, 14.6800083) = -2.0723480 - 0.1998403 = -2.2721882.
        #expect(isClose(label.alpha, -2.272188225301808, 1e-9))
        #expect(zip(label.bbox, [659.3672818975, 172.8189173495, 859.5724510559, 258.9340198777]).allSatisfy { isClose($0, $1, 1e-6) }, "\(label.bbox)")
        #expect(label.truncated == 0)
        #expect(label.line == "Car 0.00 0 -2.27 659.37 172.82 859.57 258.93 1.50 1.70 4.20 2.97 1.37 14.68 -2.07")
    }

    /// The pedestrian of KITTI object training frame 000000, "Pedestrian 0.00 0 -0.20 712.40 143.00 810.73 307.92
    /// 1.89 0.48 1.20 1.84 1.47 8.41 0.01", taken into the LiDAR frame with numpy (the inverse of the calibration),
    /// comes back to its location and rotation; its 3D box projects close to the hand-drawn 2D box.
    @Test func kittiTrainingFrameZeroPedestrianRoundTrips() throws {
        let calibration = try KITTICalibration.parse(Self.calibrationText)
        let box = Cuboid(x: 8.731381915888582, y: -1.8559174642599285, z: -0.6546993329778551, length: 1.2, width: 0.48, height: 1.89, yaw: -1.582393235498375)
        let label = KITTILabels.label(for: box, type: "Pedestrian", calibration: calibration, imageSize: (1224, 370))
        #expect(zip(label.location, [1.84, 1.47, 8.41]).allSatisfy { isClose($0, $1, 1e-9) })
        #expect(isClose(label.rotationY, 0.01, 0.0005))
        #expect(isClose(label.alpha, -0.20, 0.01))   // KITTI rounds alpha and ry separately
        for (mine, drawn) in zip(label.bbox, [712.40, 143.00, 810.73, 307.92]) { #expect(abs(mine - drawn) < 12) }
        #expect(label.line.hasPrefix("Pedestrian 0.00 0 -0.21 708.59 143.42 820.29 308.18 1.89 0.48 1.20 1.84 1.47 8.41 0.01"))
    }

    @Test func lineReplacesSpacesAndNeverWritesMinusZero() {
        let label = KITTILabel(type: "Traffic cone", truncated: 0, occluded: 3, alpha: -0.001, bbox: [1, 2.004, 3.457, 4],
                               dimensions: [0.5, 0.3, 0.3], location: [-0.0001, 1, 2], rotationY: .pi)
        #expect(label.line == "Traffic_cone 0.00 3 0.00 1.00 2.00 3.46 4.00 0.50 0.30 0.30 0.00 1.00 2.00 3.14")
        #expect(KITTILabel(type: "", truncated: 1, occluded: 0, alpha: 0, bbox: [0, 0, 0, 0], dimensions: [1, 1, 1], location: [0, 0, 0], rotationY: 0).line
            == "DontCare 1.00 0 0.00 0.00 0.00 0.00 0.00 1.00 1.00 1.00 0.00 0.00 0.00 0.00")
    }
}

// MARK: - Synthetic scene

@Suite("Point clouds: the synthetic demo scene")
struct SyntheticSceneTests {
    @Test func isDeterministicAndSized() {
        let (cloud, objects) = SyntheticScene.frame(3)
        #expect(cloud.count == 60_000)
        #expect(cloud.intensities?.count == 60_000)
        #expect(SyntheticScene.frame(3).cloud == cloud)
        #expect(SyntheticScene.frame(4).cloud != cloud)
        #expect(objects.map(\.id) == ["car-1", "car-2", "car-3", "pedestrian-1"])
        #expect(objects.map(\.label) == ["vehicle", "vehicle", "vehicle", "pedestrian"])
        #expect(cloud.positions.allSatisfy { $0.isFinite })
        #expect(cloud.intensities!.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(SyntheticScene.frame(0, pointsPerFrame: 1234).cloud.count == 1234)
        #expect(SyntheticScene.frame(0, pointsPerFrame: 0).cloud.count == 0)
        // The road at z ≈ -1.7 holds about 40% of the points; the sidewalks at -1.55 about 12%.
        let heights = stride(from: 2, to: cloud.positions.count, by: 3).map { cloud.positions[$0] }
        #expect(heights.filter { abs($0 + 1.7) < 0.04 }.count > 60_000 * 38 / 100)
        #expect(heights.filter { abs($0 + 1.55) < 0.04 }.count > 60_000 * 10 / 100)
    }

    @Test func carTwoDrivesOneMetrePerFrame() {
        let first = SyntheticScene.frame(0, pointsPerFrame: 2000).objects
        let next = SyntheticScene.frame(1, pointsPerFrame: 2000).objects
        #expect(isClose(next[1].box.x - first[1].box.x, 1))
        #expect(next[0].box == first[0].box && next[2].box == first[2].box)
        #expect(SyntheticScene.frame(40, pointsPerFrame: 10).objects == SyntheticScene.frame(0, pointsPerFrame: 10).objects)
    }

    @Test(arguments: [0, 7, 25])
    func snappingRecoversEveryObject(frame: Int) throws {
        let (cloud, objects) = SyntheticScene.frame(frame)
        for object in objects {
            let inside = Cuboids.pointsInside(object.box, cloud).count
            #expect(inside > 500, "\(object.id) has \(inside) points")
            let fitted = try #require(Cuboids.fitted(object.box, to: cloud))
            #expect(Cuboids.iou3D(fitted, object.box) > 0.85, "\(object.id): \(fitted)")
            // From a rough box: 0.15 m off, a little too big.
            var rough = object.box
            rough.x += 0.15
            rough.y -= 0.1
            rough.length += 0.2
            let snapped = try #require(Cuboids.fitted(rough, to: cloud))
            #expect(Cuboids.iou3D(snapped, object.box) > 0.7, "\(object.id): \(snapped)")
        }
    }
}

private extension Array where Element == UInt8 {
    /// The bytes with the first occurrence of `target` replaced.
    func replacingFirst(_ target: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: target) }) else { return self }
        return Array(self[..<start]) + replacement + Array(self[(start + target.count)...])
    }
}
