import RoostConfig
import Testing

/// `[tls]`: certificate and key paths, the both-or-neither rule, and the minimum version.
@Suite("[tls] settings")
struct TLSSettingsTests {
    @Test("certificate and key take absolute paths", arguments: ["certificate", "key"])
    func absolutePaths(key: String) throws {
        let tls = try TestSupport.parse("tls", key, "/etc/ssl/roost/my file.pem").tls
        #expect((key == "certificate" ? tls.certificate : tls.key) == "/etc/ssl/roost/my file.pem")
    }

    @Test("relative paths are refused", arguments: ["certificate", "key"], ["fullchain.pem", "./key.pem", "~/tls/key.pem"])
    func relativePaths(key: String, text: String) throws {
        let error = try #require(TestSupport.error("tls", key, text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "tls.\(key)")
        #expect(error.message.hasPrefix("expected an absolute path starting with / or an empty value, got "))
    }

    @Test("both empty turns TLS off")
    func bothEmpty() throws {
        let tls = try RoostConfiguration.parse(text: "[tls]\ncertificate = \"\"\nkey =\n", fileName: "t.conf").tls
        #expect(tls.certificate.isEmpty && tls.key.isEmpty)
        #expect(!tls.isEnabled)
    }

    static let halfSet: [(String, Int, String)] = [
        ("[tls]\ncertificate = \"\"\n", 2, "tls.certificate"),
        ("[tls]\nkey = \"\"\n", 2, "tls.key"),
        ("[tls]\nkey = \"\"\ncertificate = /c.pem\n", 3, "tls.certificate"),
        ("[tls]\ncertificate = \"\"\n# x\nkey = /k.pem\n", 4, "tls.key"),
    ]

    @Test("a certificate without a key, or a key without a certificate, is inconsistent", arguments: halfSet)
    func halfConfigured(text: String, line: Int, key: String) throws {
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .inconsistentValues)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message == "tls.certificate and tls.key must both be set (TLS on) or both be empty (TLS off)")
    }

    @Test("min_version names TLS 1.2 or 1.3 in any case",
          arguments: [("TLSv1.2", TLSVersionName.tlsv12), ("tlsv1.3", .tlsv13), ("TLSV1.3", .tlsv13)])
    func validMinVersion(text: String, expected: TLSVersionName) throws {
        #expect(try TestSupport.parse("tls", "min_version", text).tls.minVersion == expected)
    }

    @Test("older or misspelt versions are refused", arguments: ["TLSv1.1", "TLSv1.0", "SSLv3", "1.2", "TLSv1_2", "\"\""])
    func invalidMinVersion(text: String) throws {
        let error = try #require(TestSupport.error("tls", "min_version", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected one of TLSv1.2, TLSv1.3, got "))
    }

    @Test("versions order oldest first")
    func versionOrder() {
        #expect(TLSVersionName.allCases.map(\.rawValue) == ["TLSv1.2", "TLSv1.3"])
        #expect(TLSVersionName.tlsv12 < .tlsv13)
    }
}
