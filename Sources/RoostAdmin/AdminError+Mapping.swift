import Foundation
import RoostAuth
import RoostConfig
import RoostStorage

extension AdminError {
    /// Turns any error a command can meet into an `AdminError`: the single mapping from domain
    /// errors to exit statuses.
    ///
    /// Domain errors keep their own wording (`PasswdFileError`, `StorageError` and `ConfigError`
    /// already read well); only the exit status is chosen here.
    public init(_ error: any Error) {
        switch error {
        case let error as AdminError:
            self = error
        case let error as ConfigError:
            self.init(.configuration, error.description)
        case let error as PasswdFileError:
            self.init(Self.code(for: error), error.description)
        case let error as PasswordSchemeError:
            if case .saltGenerationFailed = error {
                self.init(.software, error.description)
            } else {
                self.init(.dataError, error.description)
            }
        case let error as StorageError:
            self.init(Self.code(for: error.kind), error.message)
        case let error as MailLocationTemplate.TemplateError:
            self.init(error: error, setting: "mail location")
        case let error as MailLocationError:
            self.init(error.kind == .userName ? .dataError : .configuration, error.description)
        case let error as CocoaError:
            self.init(cocoa: error)
        default:
            self.init(.software, String(describing: error))
        }
    }

    /// A Foundation file error as `path: reason`, from the errno it carries where it has one.
    ///
    /// `localizedDescription` on Linux is only "The operation could not be completed.
    /// (NSCocoaErrorDomain error 512.)", which names neither the file nor the cause.
    init(cocoa error: CocoaError) {
        let number = (error.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { underlying in
            underlying.domain == NSPOSIXErrorDomain ? Int32(underlying.code) : nil
        }
        let reason: String
        if let number {
            reason = String(cString: strerror(number))
        } else {
            reason = switch error.code {
            case .fileReadNoPermission, .fileWriteNoPermission: "permission denied"
            case .fileNoSuchFile, .fileReadNoSuchFile: "no such file or directory"
            case .fileWriteOutOfSpace: "no space left on the device"
            case .fileWriteVolumeReadOnly: "read-only file system"
            case .fileReadCorruptFile: "the file is damaged"
            case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: "the text is not in the expected encoding"
            case .fileWriteFileExists: "the file already exists"
            default: error.code.rawValue < 512 ? "reading failed" : "writing failed"
            }
        }
        let denied = number.map { $0 == EACCES || $0 == EPERM }
            ?? [.fileReadNoPermission, .fileWriteNoPermission].contains(error.code)
        let missing = number.map { $0 == ENOENT } ?? [.fileNoSuchFile, .fileReadNoSuchFile].contains(error.code)
        let code: AdminExitCode = denied ? .noPermission : missing ? .noInput : .ioError
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        self.init(code, path.map { "\($0): \(reason)" } ?? reason)
    }

    /// A `%` template error, naming the setting it came from.
    init(error: MailLocationTemplate.TemplateError, setting: String) {
        switch error {
        case .unknownVariable(let variable):
            self.init(.configuration, "\(setting): unknown variable \(variable)")
        case .incompleteVariable:
            self.init(.configuration, "\(setting): incomplete % variable")
        case .missingHome:
            self.init(.configuration, "\(setting) uses %h but the user has no home directory")
        case .unsafeValue(let variable, let value):
            self.init(.dataError, "\(setting): \(variable) would be \(value.debugDescription), which cannot be part of a path")
        }
    }

    private static func code(for error: PasswdFileError) -> AdminExitCode {
        switch error {
        case .duplicateUser: .cannotCreate
        case .unknownUser: .noUser
        case .invalidName, .invalidField, .parse: .dataError
        case .locked: .temporaryFailure
        case .io(_, _, let number): number == EACCES || number == EPERM ? .noPermission : .ioError
        }
    }

    private static func code(for kind: StorageError.Kind) -> AdminExitCode {
        switch kind {
        case .notFound: .noInput
        case .exists, .overQuota: .cannotCreate
        case .expunged, .inUse: .temporaryFailure
        case .noPermission: .noPermission
        case .limit, .invalidName: .dataError
        case .temporary: .ioError
        }
    }
}
