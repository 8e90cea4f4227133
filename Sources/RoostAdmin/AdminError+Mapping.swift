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
            let code: AdminExitCode = switch error.code {
            case .fileReadNoPermission, .fileWriteNoPermission: .noPermission
            case .fileNoSuchFile, .fileReadNoSuchFile: .noInput
            default: .ioError
            }
            self.init(code, error.localizedDescription)
        default:
            self.init(.software, String(describing: error))
        }
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
