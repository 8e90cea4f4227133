/// A small RFC 1321 MD5 whose chaining state can be read out and resumed from.
///
/// Why not swift-crypto: Dovecot stores `{CRAM-MD5}` secrets as the two MD5 states reached after
/// hashing the HMAC key XOR ipad and XOR opad blocks (RFC 2104), so that the plaintext need not be
/// stored. Checking a CRAM-MD5 response against such a secret means continuing MD5 from a saved
/// state, which `Insecure.MD5` cannot do. MD5 is used here only inside HMAC and for Dovecot's
/// legacy schemes, never as a new password hash.
struct MD5 {
    /// The four 32-bit chaining words A, B, C, D after a whole number of 64-byte blocks.
    struct State: Equatable {
        var a: UInt32
        var b: UInt32
        var c: UInt32
        var d: UInt32

        /// RFC 1321 section 3.3 initial values.
        static let initial = State(a: 0x6745_2301, b: 0xEFCD_AB89, c: 0x98BA_DCFE, d: 0x1032_5476)

        /// The state as 16 bytes, each word little-endian: the order Dovecot writes in CRAM-MD5 secrets.
        var littleEndianBytes: [UInt8] {
            [a, b, c, d].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        }

        /// Reads 16 bytes written by `littleEndianBytes`; nil for any other length.
        init?<Bytes: Collection<UInt8>>(littleEndianBytes bytes: Bytes) {
            let input = Array(bytes)
            guard input.count == 16 else { return nil }
            func word(_ offset: Int) -> UInt32 {
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(input[offset + $1]) << (8 * UInt32($1)) }
            }
            self.init(a: word(0), b: word(4), c: word(8), d: word(12))
        }

        init(a: UInt32, b: UInt32, c: UInt32, d: UInt32) {
            self.a = a
            self.b = b
            self.c = c
            self.d = d
        }
    }

    static let blockSize = 64
    static let digestSize = 16

    private(set) var state: State
    private var buffer: [UInt8] = []
    /// Total bytes hashed so far, including those represented by a resumed state.
    private var byteCount: UInt64

    init() {
        state = .initial
        byteCount = 0
    }

    /// Continues from a state reached after `byteCount` bytes, which must be a multiple of 64.
    init(resumingFrom state: State, byteCount: UInt64) {
        precondition(byteCount % UInt64(Self.blockSize) == 0, "MD5 can resume only on a block boundary")
        self.state = state
        self.byteCount = byteCount
    }

    mutating func update<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        buffer.append(contentsOf: bytes)
        byteCount &+= UInt64(bytes.count)
        var offset = 0
        while buffer.count - offset >= Self.blockSize {
            compress(buffer[offset..<offset + Self.blockSize])
            offset += Self.blockSize
        }
        if offset > 0 { buffer.removeFirst(offset) }
    }

    /// Pads, finishes and returns the 16-byte digest; the value should not be updated afterwards.
    mutating func finalize() -> [UInt8] {
        let bitLength = byteCount &* 8
        var padding: [UInt8] = [0x80]
        let afterMarker = (buffer.count + 1) % Self.blockSize
        let zeros = afterMarker <= 56 ? 56 - afterMarker : 56 + Self.blockSize - afterMarker
        padding.append(contentsOf: repeatElement(0, count: zeros))
        padding.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64($0))) })
        let count = byteCount
        update(padding)
        byteCount = count
        return state.littleEndianBytes
    }

    /// One-shot digest.
    static func digest<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize()
    }

    // RFC 1321 section 3.4: per-round shift amounts and the sine-derived constants.
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    private static let constants: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    private mutating func compress(_ block: ArraySlice<UInt8>) {
        let base = block.startIndex
        var words = [UInt32](repeating: 0, count: 16)
        for index in 0..<16 {
            let offset = base + index * 4
            words[index] = UInt32(block[offset]) | UInt32(block[offset + 1]) << 8
                | UInt32(block[offset + 2]) << 16 | UInt32(block[offset + 3]) << 24
        }
        var a = state.a
        var b = state.b
        var c = state.c
        var d = state.d
        for round in 0..<64 {
            var f: UInt32
            let g: Int
            switch round {
            case 0..<16:
                f = (b & c) | (~b & d)
                g = round
            case 16..<32:
                f = (d & b) | (~d & c)
                g = (5 * round + 1) % 16
            case 32..<48:
                f = b ^ c ^ d
                g = (3 * round + 5) % 16
            default:
                f = c ^ (b | ~d)
                g = (7 * round) % 16
            }
            f = f &+ a &+ Self.constants[round] &+ words[g]
            a = d
            d = c
            c = b
            let shift = Self.shifts[round]
            b = b &+ (f << shift | f >> (32 - shift))
        }
        state.a &+= a
        state.b &+= b
        state.c &+= c
        state.d &+= d
    }
}
