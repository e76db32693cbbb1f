/// What an uploaded file really is, read from its bytes (never its name): the type from magic bytes, an
/// image's size, and whether an image is whole (a truncated or corrupt file is refused).
public enum MediaKind: String, Sendable {
    case image
    case video
    case audio
    case pointCloud = "pointcloud"
}

public struct MediaDescription: Sendable, Equatable {
    public var kind: MediaKind
    public var contentType: String
    public var fileExtension: String
    public var width: Int?
    public var height: Int?
}

public enum MediaProblem: Error, Equatable, Sendable {
    /// Not an image or video type Gloss reads.
    case unsupported(String)
    /// The type is known but the file is damaged or cut short.
    case corrupt(String)

    public var message: String {
        switch self {
        case .unsupported(let message), .corrupt(let message): message
        }
    }
}

public enum MediaInspector {
    public static let supportedTypes = "PNG, JPEG, GIF and WebP images; MP4, QuickTime, WebM, Matroska and AVI videos; WAV, FLAC, MP3 and OGG audio; PCD and KITTI .bin point clouds"

    /// The type of a file from its first bytes, or nil; point clouds are read by `PointCloudReader.sniff`, which
    /// also needs the file's name (KITTI's `.bin` has no magic bytes).
    public static func sniff(_ head: [UInt8], fileName: String) -> MediaDescription? {
        // A KITTI .bin starts with a float, which may look like an MP3 frame header (about 1 in 8,000): a .bin
        // name wins over that weak sign (an ID3 tag is a strong one).
        let weakMP3 = head.count >= 2 && head[0] == 0xFF && Array(head.prefix(3)) != Array("ID3".utf8)
        if let described = sniff(head), !(described.contentType == "audio/mpeg" && weakMP3 && fileName.lowercased().hasSuffix(".bin")) {
            return described
        }
        switch PointCloudReader.sniff(head: head, fileName: fileName) {
        case .pcd?: return MediaDescription(kind: .pointCloud, contentType: "application/x-pcd", fileExtension: "pcd")
        case .kittiBin?: return MediaDescription(kind: .pointCloud, contentType: "application/octet-stream", fileExtension: "bin")
        case nil: return nil
        }
    }

    /// The type of a file from its first bytes (at least 36 help), or nil.
    public static func sniff(_ head: [UInt8]) -> MediaDescription? {
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<(offset + bytes.count)]) == bytes
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return MediaDescription(kind: .image, contentType: "image/png", fileExtension: "png") }
        if starts([0xFF, 0xD8, 0xFF]) { return MediaDescription(kind: .image, contentType: "image/jpeg", fileExtension: "jpg") }
        if ascii("GIF87a") || ascii("GIF89a") { return MediaDescription(kind: .image, contentType: "image/gif", fileExtension: "gif") }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return MediaDescription(kind: .image, contentType: "image/webp", fileExtension: "webp") }
        if ascii("RIFF"), ascii("WAVE", at: 8) { return MediaDescription(kind: .audio, contentType: "audio/wav", fileExtension: "wav") }
        if ascii("fLaC") { return MediaDescription(kind: .audio, contentType: "audio/flac", fileExtension: "flac") }
        if ascii("OggS"), ascii("\u{01}vorbis", at: 28) || ascii("OpusHead", at: 28) || ascii("\u{7F}FLAC", at: 28) {
            return MediaDescription(kind: .audio, contentType: "audio/ogg", fileExtension: "ogg")
        }
        // MP3: an ID3v2 tag, or an MPEG audio frame header of layer III (11 sync bits, layer bits 01).
        if ascii("ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0 && (head[1] >> 1) & 0x03 == 0x01) {
            return MediaDescription(kind: .audio, contentType: "audio/mpeg", fileExtension: "mp3")
        }
        if ascii("RIFF"), ascii("AVI ", at: 8) { return MediaDescription(kind: .video, contentType: "video/x-msvideo", fileExtension: "avi") }
        if ascii("ftyp", at: 4) {
            let isQuickTime = ascii("qt  ", at: 8)
            return MediaDescription(kind: .video, contentType: isQuickTime ? "video/quicktime" : "video/mp4", fileExtension: isQuickTime ? "mov" : "mp4")
        }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) {
            let isWebM = head.count >= 8 && String(decoding: head.prefix(64), as: UTF8.self).contains("webm")
            return MediaDescription(kind: .video, contentType: isWebM ? "video/webm" : "video/x-matroska", fileExtension: isWebM ? "webm" : "mkv")
        }
        return nil
    }

    /// Checks a whole image file and reads its size.
    public static func inspectImage(_ bytes: [UInt8]) -> Result<MediaDescription, MediaProblem> {
        guard var description = sniff(Array(bytes.prefix(64))) else {
            return .failure(.unsupported("is not a file type Gloss reads (\(supportedTypes))"))
        }
        guard description.kind == .image else { return .success(description) }
        let size: Result<(Int, Int), MediaProblem>
        switch description.contentType {
        case "image/png": size = pngSize(bytes)
        case "image/jpeg": size = jpegSize(bytes)
        case "image/gif": size = gifSize(bytes)
        default: size = webpSize(bytes)
        }
        switch size {
        case .failure(let problem): return .failure(problem)
        case .success(let (width, height)):
            guard width > 0, height > 0 else { return .failure(.corrupt("declares an empty image (\(width)×\(height))")) }
            description.width = width
            description.height = height
            return .success(description)
        }
    }

    static func bigEndian32(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    /// Walks every chunk, checking lengths and CRCs, up to IEND.
    static func pngSize(_ bytes: [UInt8]) -> Result<(Int, Int), MediaProblem> {
        var offset = 8
        var size: (Int, Int)?
        var sawData = false
        while true {
            guard offset + 12 <= bytes.count else { return .failure(.corrupt("is a truncated PNG (it ends before its IEND chunk)")) }
            let length = bigEndian32(bytes, offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard length <= bytes.count, offset + 12 + length <= bytes.count else {
                return .failure(.corrupt("is a truncated PNG (chunk \(type) runs past the end of the file)"))
            }
            let crc = UInt32(bigEndian32(bytes, offset + 8 + length))
            guard Checksum.crc32(bytes[(offset + 4)..<(offset + 8 + length)]) == crc else {
                return .failure(.corrupt("is a corrupt PNG (chunk \(type) fails its checksum)"))
            }
            if size == nil {
                guard type == "IHDR", length >= 8 else { return .failure(.corrupt("is a corrupt PNG (it does not start with IHDR)")) }
                size = (bigEndian32(bytes, offset + 8), bigEndian32(bytes, offset + 12))
            }
            if type == "IDAT" { sawData = true }
            if type == "IEND" {
                guard sawData, let size else { return .failure(.corrupt("is a PNG without image data")) }
                return .success(size)
            }
            offset += 12 + length
        }
    }

    /// Reads the frame header (SOFn) for the size and checks the image data ends with EOI.
    static func jpegSize(_ bytes: [UInt8]) -> Result<(Int, Int), MediaProblem> {
        var offset = 2
        var size: (Int, Int)?
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return .failure(.corrupt("is a corrupt JPEG (no marker where one belongs)")) }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return .failure(.corrupt("is a truncated JPEG")) }
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC, length >= 7 {
                size = (Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8]), Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]))
            }
            if marker == 0xDA {
                guard let size else { return .failure(.corrupt("is a corrupt JPEG (image data before its frame header)")) }
                // The entropy-coded data runs to the end-of-image marker.
                var index = offset + 2 + length
                while index + 1 < bytes.count {
                    if bytes[index] == 0xFF, bytes[index + 1] == 0xD9 { return .success(size) }
                    index += 1
                }
                return .failure(.corrupt("is a truncated JPEG (it ends before its end-of-image marker)"))
            }
            offset += 2 + length
        }
        return .failure(.corrupt("is a truncated JPEG (it ends before its image data)"))
    }

    static func gifSize(_ bytes: [UInt8]) -> Result<(Int, Int), MediaProblem> {
        guard bytes.count >= 14 else { return .failure(.corrupt("is a truncated GIF")) }
        guard bytes.last == 0x3B else { return .failure(.corrupt("is a truncated GIF (it ends before its trailer)")) }
        return .success((Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8))
    }

    static func webpSize(_ bytes: [UInt8]) -> Result<(Int, Int), MediaProblem> {
        guard bytes.count >= 30 else { return .failure(.corrupt("is a truncated WebP")) }
        let riffSize = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        guard riffSize + 8 <= bytes.count else { return .failure(.corrupt("is a truncated WebP (it is shorter than its header says)")) }
        let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            return .success((Int(bytes[26]) | Int(bytes[27] & 0x3F) << 8, Int(bytes[28]) | Int(bytes[29] & 0x3F) << 8))
        case "VP8L":
            let bits = Int(bytes[21]) | Int(bytes[22]) << 8 | Int(bytes[23]) << 16 | Int(bytes[24]) << 24
            return .success(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        case "VP8X":
            return .success(((Int(bytes[24]) | Int(bytes[25]) << 8 | Int(bytes[26]) << 16) + 1,
                             (Int(bytes[27]) | Int(bytes[28]) << 8 | Int(bytes[29]) << 16) + 1))
        default:
            return .failure(.corrupt("is a WebP of an unknown kind (\(chunk))"))
        }
    }
}
