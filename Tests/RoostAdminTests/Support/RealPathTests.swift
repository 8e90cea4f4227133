import Foundation
import Testing
@testable import RoostAdmin

@Suite("RealPath")
struct RealPathTests {
    /// A directory with `real/dir`, `link -> real`, `relative -> real/dir` (relative target),
    /// `loop -> loop`, and `file`.
    func tree() throws -> AdminTestEnvironment {
        let environment = try AdminTestEnvironment()
        try environment.makeDirectory("real/dir")
        try environment.makeLink("link", to: environment.path("real"))
        try environment.makeLink("relative", to: "real/dir")
        try environment.makeLink("loop", to: environment.path("loop"))
        try environment.write("file", "x")
        return environment
    }

    @Test(arguments: [
        ("$DIR/real/dir", "$DIR/real/dir"),
        ("$DIR//real/./dir/", "$DIR/real/dir"),
        ("$DIR/link/dir", "$DIR/real/dir"),
        ("$DIR/link/../real/dir", "$DIR/real/dir"),
        ("$DIR/relative", "$DIR/real/dir"),
        ("$DIR/relative/..", "$DIR/real"),
        // Missing components are kept; `..` after one takes it away again.
        ("$DIR/link/missing/deeper", "$DIR/real/missing/deeper"),
        ("$DIR/real/missing/../dir", "$DIR/real/dir"),
        ("/..", "/"),
    ])
    func resolves(path: String, expected: String) throws {
        let environment = try tree()
        // The temporary directory itself may sit behind a link (/tmp on some systems).
        let base = try RealPath.resolve(environment.directory)
        let resolved = try RealPath.resolve(environment.expand(path))
        #expect(resolved == expected.replacingOccurrences(of: "$DIR", with: base))
    }

    @Test func loopsAreAnError() throws {
        let environment = try tree()
        #expect(throws: AdminError.self) { try RealPath.resolve(environment.path("loop/x")) }
    }

    @Test func ancestryIsByIdentity() throws {
        let environment = try tree()
        let dir = try #require(RealPath.identity(of: environment.path("real/dir")))
        let real = try #require(RealPath.identity(of: environment.path("real")))
        let root = try #require(RealPath.identity(of: "/"))
        let ancestry = try RealPath.ancestry(of: environment.path("link/dir/not-yet/created"))
        #expect(ancestry.first == dir)
        #expect(ancestry.contains(real))
        #expect(ancestry.last == root)
        #expect(try !RealPath.ancestry(of: environment.path("file")).contains(dir))
        #expect(RealPath.kind(of: environment.path("link")) == .symbolicLink)
        #expect(RealPath.kind(of: environment.path("real")) == .directory)
        #expect(RealPath.kind(of: environment.path("file")) == .regularFile)
        #expect(RealPath.kind(of: environment.path("nothing")) == nil)
    }
}
