import CPAM
import Foundation

/// The PAM conversation: how Roost answers the prompts of the modules in a service's stack.
///
/// Modules ask through the application's `pam_conv` callback. Roost has no user at a terminal,
/// only what the client already sent, so (as Dovecot's passdb-pam does):
/// - `PAM_PROMPT_ECHO_OFF` ("Password: ") is answered with the password, every time it comes;
/// - `PAM_PROMPT_ECHO_ON` ("login: ") with the user name;
/// - `PAM_ERROR_MSG` and `PAM_TEXT_INFO` get an empty reply and are otherwise ignored (they may
///   echo what a user typed, so they are not logged either);
/// - anything else (Linux-PAM's `PAM_BINARY_PROMPT`, an unknown style) fails the whole
///   conversation with `PAM_CONV_ERR`, which the module reports and Roost treats as temporary.
///
/// Memory: the reply array and every reply string are `calloc`/`strdup` memory, because the
/// module frees them with `free()`. On failure nothing is handed back and everything allocated
/// so far is wiped and freed here. The password's C copy held by `PAMConversationContext` is
/// wiped when the transaction ends (`PAMConversationContext.wipe`).
enum PAMConversation {
    /// What one message is answered with.
    enum Answer: Sendable, Hashable {
        case userName
        case password
        /// A reply without text (`resp` NULL), for messages that ask nothing.
        case nothing
    }

    /// The answer for a message style, nil when Roost cannot answer it (the conversation fails).
    static func answer(forStyle style: Int32) -> Answer? {
        switch style {
        case PAM_PROMPT_ECHO_OFF: .password
        case PAM_PROMPT_ECHO_ON: .userName
        case PAM_ERROR_MSG, PAM_TEXT_INFO: .nothing
        default: nil
        }
    }

    /// The body of `pamConversationFunction`: fills `responses` for the `count` messages.
    ///
    /// Linux-PAM passes `messages` as an array of `count` pointers (not, as Solaris, a pointer to
    /// an array). A count outside 1...`PAM_MAX_NUM_MSG` or a missing pointer is `PAM_CONV_ERR`.
    static func respond(
        count: Int32,
        messages: UnsafeMutablePointer<UnsafePointer<pam_message>?>?,
        responses: UnsafeMutablePointer<UnsafeMutablePointer<pam_response>?>?,
        appData: UnsafeMutableRawPointer?
    ) -> Int32 {
        guard let messages, let responses, let appData, count > 0, count <= PAM_MAX_NUM_MSG else {
            return PAM_CONV_ERR
        }
        let context = Unmanaged<PAMConversationContext>.fromOpaque(appData).takeUnretainedValue()
        let total = Int(count)
        guard let raw = calloc(total, MemoryLayout<pam_response>.stride) else { return PAM_BUF_ERR }
        let replies = raw.bindMemory(to: pam_response.self, capacity: total)
        for index in 0..<total {
            guard let message = messages[index], let answer = answer(forStyle: message.pointee.msg_style) else {
                release(replies, count: total)
                return PAM_CONV_ERR
            }
            replies[index].resp_retcode = 0
            switch answer {
            case .nothing:
                replies[index].resp = nil
            case .userName, .password:
                guard let copy = context.duplicate(answer == .password ? .password : .userName) else {
                    release(replies, count: total)
                    return PAM_BUF_ERR
                }
                replies[index].resp = copy
            }
        }
        responses.pointee = replies
        return PAM_SUCCESS
    }

    /// Wipes and frees a reply array this function made and did not hand out.
    static func release(_ replies: UnsafeMutablePointer<pam_response>, count: Int) {
        for index in 0..<count {
            if let text = replies[index].resp {
                explicit_bzero(text, strlen(text))
                free(text)
            }
        }
        free(replies)
    }
}

/// The C conversation callback given to `pam_start`.
///
/// A global `let` of a `@convention(c)` function: a C function pointer cannot capture context,
/// so the user and password travel through `appdata_ptr` as an unretained
/// `PAMConversationContext`, which the transaction keeps alive until `pam_end`.
let pamConversationFunction: @convention(c) (
    Int32,
    UnsafeMutablePointer<UnsafePointer<pam_message>?>?,
    UnsafeMutablePointer<UnsafeMutablePointer<pam_response>?>?,
    UnsafeMutableRawPointer?
) -> Int32 = { count, messages, responses, appData in
    PAMConversation.respond(count: count, messages: messages, responses: responses, appData: appData)
}

/// What the conversation callback answers with, for one transaction.
///
/// Holds NUL-terminated copies of the user name and password. Used from one PAM thread at a
/// time (the transaction's), hence no locking; `@unchecked Sendable` only so a test may build
/// one and hand it across. `wipe()` zeroes the password copy; the caller's `String` cannot be
/// wiped, which is a limit of Swift strings, not of this type.
final class PAMConversationContext: @unchecked Sendable {
    enum Field {
        case userName, password
    }

    private var userName: [CChar]
    private var password: [CChar]

    init(userName: String, password: String) {
        self.userName = Array(userName.utf8CString)
        self.password = Array(password.utf8CString)
    }

    /// A `strdup` copy of the field for a reply (PAM frees it), nil when out of memory.
    func duplicate(_ field: Field) -> UnsafeMutablePointer<CChar>? {
        let source = field == .password ? password : userName
        return source.withUnsafeBufferPointer { buffer in buffer.baseAddress.flatMap { strdup($0) } }
    }

    /// Overwrites the password copy with zeros and leaves an empty string.
    func wipe() {
        password.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
        }
        password = [0]
    }

    deinit {
        wipe()
    }
}
