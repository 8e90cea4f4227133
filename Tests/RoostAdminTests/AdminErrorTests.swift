import Foundation
import RoostAuth
import RoostConfig
import RoostStorage
import Testing
@testable import RoostAdmin

@Suite("AdminError mapping")
struct AdminErrorTests {
    @Test(arguments: [
        (PasswdFileError.duplicateUser("a"), AdminExitCode.cannotCreate),
        (.unknownUser("a"), .noUser),
        (.invalidName("A", reason: "x"), .dataError),
        (.invalidField("home", reason: "x"), .dataError),
        (.parse(path: "/p", problems: []), .dataError),
        (.locked(path: "/p.lock"), .temporaryFailure),
        (.io(path: "/p", operation: "open", errno: EACCES), .noPermission),
        (.io(path: "/p", operation: "open", errno: EIO), .ioError),
    ])
    func passwdFileErrors(error: PasswdFileError, code: AdminExitCode) {
        let mapped = AdminError(error)
        #expect(mapped.code == code)
        #expect(mapped.message == error.description)
    }

    @Test(arguments: [
        (StorageError.Kind.notFound, AdminExitCode.noInput), (.exists, .cannotCreate), (.overQuota, .cannotCreate),
        (.expunged, .temporaryFailure), (.inUse, .temporaryFailure), (.noPermission, .noPermission),
        (.limit, .dataError), (.invalidName, .dataError), (.temporary, .ioError),
    ])
    func storageErrors(kind: StorageError.Kind, code: AdminExitCode) {
        let mapped = AdminError(StorageError(kind, "what happened"))
        #expect(mapped == AdminError(code, "what happened"))
    }

    @Test func otherErrors() {
        let config = ConfigError(kind: .syntax, fileName: "/f", line: 3, key: nil, message: "bad line")
        #expect(AdminError(config) == AdminError(.configuration, "/f:3: bad line"))
        #expect(AdminError(PasswordSchemeError.unknownScheme("X")).code == .dataError)
        #expect(AdminError(MailLocationError(.setting, setting: "mail.location", "x")).code == .configuration)
        #expect(AdminError(MailLocationError(.userName, setting: "mail.location", "x")).code == .dataError)
        #expect(AdminError(CocoaError(.fileWriteNoPermission)).code == .noPermission)
        struct Odd: Error {}
        #expect(AdminError(Odd()).code == .software)
    }

    /// Foundation's own text on Linux is "The operation could not be completed. (NSCocoaErrorDomain
    /// error 512.)": the mapping gives the path and the errno's words instead.
    @Test(arguments: [
        (CocoaError.Code.fileWriteUnknown, EBUSY, AdminExitCode.ioError, "/srv/x: Device or resource busy"),
        (.fileWriteNoPermission, EACCES, .noPermission, "/srv/x: Permission denied"),
        (.fileWriteUnknown, EPERM, .noPermission, "/srv/x: Operation not permitted"),
        (.fileReadNoSuchFile, ENOENT, .noInput, "/srv/x: No such file or directory"),
        (.fileWriteOutOfSpace, ENOSPC, .ioError, "/srv/x: No space left on device"),
    ])
    func foundationErrorsNameThePathAndTheReason(code: CocoaError.Code, number: Int32, exit: AdminExitCode, message: String) {
        let error = CocoaError(code, userInfo: [
            NSFilePathErrorKey: "/srv/x",
            NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(number)),
        ])
        #expect(AdminError(error) == AdminError(exit, message))
    }

    @Test func foundationErrorsWithoutDetailsStillReadWell() throws {
        #expect(AdminError(CocoaError(.fileWriteUnknown)) == AdminError(.ioError, "writing failed"))
        #expect(AdminError(CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "/a"]))
            == AdminError(.noInput, "/a: no such file or directory"))
        // What FileManager really throws.
        let missing = FileManager.default.temporaryDirectory.path + "/roost-no-such-" + UUID().uuidString
        do {
            try FileManager.default.removeItem(atPath: missing)
            Issue.record("removing a missing file succeeded")
        } catch {
            let mapped = AdminError(error)
            #expect(mapped.code == .noInput, "\(mapped)")
            #expect(mapped.message.hasPrefix(missing + ": "), "\(mapped)")
            #expect(!mapped.message.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func exitCodesAreDistinctSysexits() {
        let values = AdminExitCode.allCases.map(\.rawValue)
        #expect(Set(values).count == values.count)
        #expect(values.allSatisfy { $0 <= 1 || (64...78).contains($0) })
    }
}
