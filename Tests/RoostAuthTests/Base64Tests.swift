import Testing
@testable import RoostAuth

@Suite("RFC 4648 base64 and hex")
struct Base64Tests {
    /// RFC 4648 section 10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfcVectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decodeStrict(encoded) == Array(plain.utf8))
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm9v YmFy", "Zm9v\r\n", "Zg==Zg==", "Z===", "Zh==", "Zm9=", "Zm9vYmFy!", "=Zm9", "Z",
    ])
    func strictRejectsNonCanonical(_ text: String) {
        #expect(Base64.decodeStrict(text) == nil)
    }

    @Test func lenientAcceptsMissingPadding() {
        #expect(Base64.decodeLenient("Zg") == Array("f".utf8))
        #expect(Base64.decodeLenient("Zm8") == Array("fo".utf8))
        #expect(Base64.decodeLenient("Z") == nil)
        #expect(Base64.decodeLenient("Zm9v!") == nil)
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Base64.decodeStrict(Base64.encode(bytes)) == bytes)
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    }

    @Test func hexRejectsOddLengthAndNonHex() {
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("ABcd") == [0xAB, 0xCD])
    }
}
