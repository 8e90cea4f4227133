import RoostAuth
import Testing
@testable import RoostAdmin

@Suite("QuotaRule")
struct QuotaRuleTests {
    @Test(arguments: [
        ("1G", "*:storage=1G", QuotaLimit.limit(1 << 30)),
        ("1024M", "*:storage=1G", .limit(1 << 30)),
        ("1536M", "*:storage=1536M", .limit(1536 << 20)),
        ("50MB", "*:storage=50M", .limit(50 << 20)),
        ("2GiB", "*:storage=2G", .limit(2 << 30)),
        ("100k", "*:storage=100K", .limit(100 << 10)),
        ("1000", "*:bytes=1000", .limit(1000)),
        ("4096", "*:storage=4K", .limit(4096)),
        ("0", "*:storage=0", .unlimited),
        ("unlimited", "*:storage=0", .unlimited),
    ])
    func storageRoundTripsThroughQuotaOverride(text: String, rule: String, limit: QuotaLimit) throws {
        let field = try #require(try QuotaRule.field(storage: text, messages: nil))
        #expect(field.key == "userdb_quota_rule")
        #expect(field.value == rule)
        #expect(QuotaOverride(fields: ["quota_rule": rule]).storageBytes == limit)
    }

    @Test func messages() throws {
        let field = try #require(try QuotaRule.field(storage: "1G", messages: "500"))
        #expect(field.value == "*:storage=1G:messages=500")
        let override = QuotaOverride(fields: ["quota_rule": field.value ?? ""])
        #expect(override.messages == .limit(500))
        #expect(try QuotaRule.field(storage: nil, messages: nil) == nil)
    }

    @Test(arguments: ["", "1.5G", "-1", "1X", "G", "99999999999999999999", "16777216T"])
    func refusesBadSizes(text: String) {
        #expect(throws: AdminError.self) { try QuotaRule.bytes(text) }
    }

    @Test(arguments: ["", "1k", "-1", "ten"])
    func refusesBadCounts(text: String) {
        #expect(throws: AdminError.self) { try QuotaRule.count(text) }
    }
}
