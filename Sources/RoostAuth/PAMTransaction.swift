import CPAM

/// One PAM login check, start to end, on the calling thread (a `PAMPassDB` pool thread).
///
/// Sequence, as Dovecot's passdb-pam does it:
/// 1. `pam_start(service, user, conv)` (`pam_start_confdir` when a directory is configured);
/// 2. `pam_set_item(PAM_RHOST, address)` when the client's address is known, so modules such as
///    pam_access and pam_faillock can see it; `pam_set_item(PAM_FAIL_DELAY, no-op)` so no module
///    sleeps on a PAM thread (see `pamNoFailDelay`);
/// 3. `pam_authenticate`, then `pam_acct_mgmt` (expired or locked accounts), both with
///    `PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK`: a system account with an empty password must not
///    let anyone in, whatever the service file's `nullok` says;
/// 4. optionally `pam_setcred(PAM_ESTABLISH_CRED)` (`PAMConfiguration.establishCredentials`);
/// 5. on success the canonical name is `PAM_USER` as it stands now, since modules may change it;
/// 6. `pam_end` with the last status, always, also after a failure.
/// The first call that fails ends the transaction; its step, status and `pam_strerror` text make
/// the `Outcome`.
enum PAMTransaction {
    enum Outcome: Sendable, Hashable {
        case success(user: String)
        case failure(step: PAMStatus.Step, status: Int32, description: String)
    }

    /// Flags for `pam_authenticate` and `pam_acct_mgmt`.
    static let checkFlags = Int32(PAM_SILENT) | Int32(PAM_DISALLOW_NULL_AUTHTOK)

    /// Runs the transaction. Blocks for as long as the modules do.
    static func run(
        user: String, password: String, remoteAddress: String?,
        configuration: PAMConfiguration, library: PAMLibrary
    ) -> Outcome {
        let context = PAMConversationContext(userName: user, password: password)
        defer { context.wipe() }
        return withExtendedLifetime(context) {
            var conversation = pam_conv(
                conv: pamConversationFunction, appdata_ptr: Unmanaged.passUnretained(context).toOpaque()
            )
            return withUnsafePointer(to: &conversation) { conversationPointer in
                let started = library.start(
                    configuration.service, user, conversationPointer, configuration.configurationDirectory
                )
                guard started.status == PAM_SUCCESS, let handle = started.handle else {
                    let status = started.status == PAM_SUCCESS ? PAM_SYSTEM_ERR : started.status
                    return .failure(step: .start, status: status, description: library.describe(nil, status))
                }
                let outcome = steps(handle: handle, user: user, remoteAddress: remoteAddress,
                                    configuration: configuration, library: library)
                let lastStatus: Int32
                if case .failure(_, let status, _) = outcome { lastStatus = status } else { lastStatus = PAM_SUCCESS }
                _ = library.end(handle, lastStatus)
                return outcome
            }
        }
    }

    /// Steps 2 to 5 on a started handle; the caller ends it.
    private static func steps(
        handle: OpaquePointer, user: String, remoteAddress: String?,
        configuration: PAMConfiguration, library: PAMLibrary
    ) -> Outcome {
        func failed(_ step: PAMStatus.Step, _ status: Int32) -> Outcome {
            .failure(step: step, status: status, description: library.describe(handle, status))
        }
        if let remoteAddress {
            let status = library.setStringItem(handle, PAM_RHOST, remoteAddress)
            guard status == PAM_SUCCESS else { return failed(.setItem, status) }
        }
        var status = library.disableFailDelay(handle)
        guard status == PAM_SUCCESS else { return failed(.setItem, status) }
        status = library.authenticate(handle, checkFlags)
        guard status == PAM_SUCCESS else { return failed(.authenticate, status) }
        status = library.accountManagement(handle, checkFlags)
        guard status == PAM_SUCCESS else { return failed(.accountManagement, status) }
        if configuration.establishCredentials {
            status = library.setCredentials(handle, Int32(PAM_ESTABLISH_CRED) | Int32(PAM_SILENT))
            guard status == PAM_SUCCESS else { return failed(.setCredentials, status) }
        }
        let canonical = library.stringItem(handle, PAM_USER).flatMap { $0.isEmpty ? nil : $0 } ?? user
        return .success(user: canonical)
    }
}
