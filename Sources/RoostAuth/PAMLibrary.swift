import CPAM
import Foundation

/// The libpam calls a PAM transaction makes, as a table of functions.
///
/// `system` calls the real libpam; tests build a table of fakes to drive the transaction
/// (prompting through the real conversation callback, returning chosen codes) without a PAM
/// service file. The handle is libpam's opaque `pam_handle_t *`.
struct PAMLibrary: Sendable {
    /// `pam_start` (confdir nil) or `pam_start_confdir`; returns the status and the handle.
    var start: @Sendable (
        _ service: String, _ user: String, _ conversation: UnsafePointer<pam_conv>, _ confdir: String?
    ) -> (status: Int32, handle: OpaquePointer?)
    /// `pam_set_item` with a string value (`PAM_RHOST`).
    var setStringItem: @Sendable (_ handle: OpaquePointer, _ item: Int32, _ value: String) -> Int32
    /// `pam_set_item(PAM_FAIL_DELAY, ...)` with Roost's no-op delay function.
    var disableFailDelay: @Sendable (_ handle: OpaquePointer) -> Int32
    /// `pam_get_item` of a string item (`PAM_USER`); nil when unset or on error.
    var stringItem: @Sendable (_ handle: OpaquePointer, _ item: Int32) -> String?
    var authenticate: @Sendable (_ handle: OpaquePointer, _ flags: Int32) -> Int32
    var accountManagement: @Sendable (_ handle: OpaquePointer, _ flags: Int32) -> Int32
    var setCredentials: @Sendable (_ handle: OpaquePointer, _ flags: Int32) -> Int32
    var end: @Sendable (_ handle: OpaquePointer, _ status: Int32) -> Int32
    /// `pam_strerror`: the status in words, for logs.
    var describe: @Sendable (_ handle: OpaquePointer?, _ status: Int32) -> String

    /// The real libpam.
    static let system = PAMLibrary(
        start: { service, user, conversation, confdir in
            var handle: OpaquePointer?
            let status: Int32
            if let confdir {
                status = pam_start_confdir(service, user, conversation, confdir, &handle)
            } else {
                status = pam_start(service, user, conversation, &handle)
            }
            return (status, handle)
        },
        setStringItem: { handle, item, value in
            // libpam copies string items, so the temporary C string may go right after.
            value.withCString { pam_set_item(handle, item, $0) }
        },
        disableFailDelay: { handle in
            pam_set_item(handle, PAM_FAIL_DELAY, unsafeBitCast(pamNoFailDelay, to: UnsafeRawPointer.self))
        },
        stringItem: { handle, item in
            var value: UnsafeRawPointer?
            guard pam_get_item(handle, item, &value) == PAM_SUCCESS, let value else { return nil }
            return String(cString: value.assumingMemoryBound(to: CChar.self))
        },
        authenticate: { pam_authenticate($0, $1) },
        accountManagement: { pam_acct_mgmt($0, $1) },
        setCredentials: { pam_setcred($0, $1) },
        end: { pam_end($0, $1) },
        describe: { handle, status in
            pam_strerror(handle, status).map { String(cString: $0) } ?? "PAM error \(status)"
        }
    )
}

/// Replaces the failure delay modules ask for with `pam_fail_delay` (pam_unix about 2 s,
/// pam_pwdfile 1 s unless `nodelay`): libpam calls this instead of sleeping.
///
/// Why: the sleep would hold one of the few PAM threads (one by default) for seconds per failed
/// login, so a handful of wrong passwords a second would starve every other login. Roost applies
/// its own growing per-IP delay (`AuthPenalty`) without holding a thread, which serves the same
/// purpose.
let pamNoFailDelay: @convention(c) (Int32, UInt32, UnsafeMutableRawPointer?) -> Void = { _, _, _ in }
