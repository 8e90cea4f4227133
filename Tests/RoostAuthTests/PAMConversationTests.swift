import CPAM
import Foundation
import Testing
@testable import RoostAuth

/// The conversation callback, called the way libpam calls it: an array of message pointers in,
/// a `calloc`ed reply array of `strdup`ed strings out.
@Suite("PAM conversation")
struct PAMConversationTests {
    static let styles: [(Int32, PAMConversation.Answer?)] = [
        (PAM_PROMPT_ECHO_OFF, .password),
        (PAM_PROMPT_ECHO_ON, .userName),
        (PAM_ERROR_MSG, .nothing),
        (PAM_TEXT_INFO, .nothing),
        (7, nil),  // Linux-PAM's PAM_BINARY_PROMPT
        (0, nil),
        (-1, nil),
        (99, nil),
    ]

    @Test("each message style has its answer", arguments: styles)
    func answerForStyle(style: Int32, expected: PAMConversation.Answer?) {
        #expect(PAMConversation.answer(forStyle: style) == expected)
    }

    @Test("prompts get the password and the user name; messages get no text")
    func answersEveryMessage() throws {
        let context = PAMConversationContext(userName: "bob", password: "pässword")
        let messages: [(Int32, String)] = [
            (PAM_TEXT_INFO, "Welcome"), (PAM_PROMPT_ECHO_ON, "login: "), (PAM_PROMPT_ECHO_OFF, "Password: "),
            (PAM_ERROR_MSG, "bad"), (PAM_PROMPT_ECHO_OFF, "Password again: "),
        ]
        let (status, replies) = Self.converse(context: context, messages: messages)
        #expect(status == PAM_SUCCESS)
        #expect(replies == [nil, "bob", "pässword", nil, "pässword"])
    }

    @Test("an unanswerable style fails the whole conversation and hands back nothing")
    func unknownStyleFails() {
        let context = PAMConversationContext(userName: "bob", password: "secret")
        let (status, replies) = Self.converse(
            context: context, messages: [(PAM_PROMPT_ECHO_OFF, "Password: "), (7, "binary")]
        )
        #expect(status == PAM_CONV_ERR)
        #expect(replies == nil)
    }

    @Test("a message count outside 1...PAM_MAX_NUM_MSG is a conversation error", arguments: [0, -1, PAM_MAX_NUM_MSG + 1])
    func badCount(count: Int32) {
        let context = PAMConversationContext(userName: "bob", password: "secret")
        let appData = Unmanaged.passUnretained(context).toOpaque()
        var message = pam_message(msg_style: PAM_PROMPT_ECHO_OFF, msg: nil)
        var response: UnsafeMutablePointer<pam_response>?
        let status = withUnsafePointer(to: &message) { pointer in
            var list = [UnsafePointer<pam_message>?](repeating: pointer, count: Int(PAM_MAX_NUM_MSG) + 1)
            return list.withUnsafeMutableBufferPointer { buffer in
                pamConversationFunction(count, buffer.baseAddress, &response, appData)
            }
        }
        withExtendedLifetime(context) {}
        #expect(status == PAM_CONV_ERR)
        #expect(response == nil)
    }

    @Test("missing pointers are a conversation error, not a crash")
    func missingPointers() {
        var response: UnsafeMutablePointer<pam_response>?
        #expect(pamConversationFunction(1, nil, &response, nil) == PAM_CONV_ERR)
        #expect(response == nil)
    }

    @Test("the whole message limit is answered")
    func maximumMessages() {
        let context = PAMConversationContext(userName: "bob", password: "secret")
        let messages = Array(repeating: (PAM_PROMPT_ECHO_OFF, "Password: "), count: Int(PAM_MAX_NUM_MSG))
        let (status, replies) = Self.converse(context: context, messages: messages)
        #expect(status == PAM_SUCCESS)
        #expect(replies == Array(repeating: "secret", count: Int(PAM_MAX_NUM_MSG)))
    }

    @Test("wipe leaves an empty password")
    func wipe() {
        let context = PAMConversationContext(userName: "bob", password: "secret")
        context.wipe()
        let (status, replies) = Self.converse(context: context, messages: [(PAM_PROMPT_ECHO_OFF, "Password: ")])
        #expect(status == PAM_SUCCESS)
        #expect(replies == [""])
    }

    /// Calls the C callback with `messages` as libpam would, then reads and frees the replies as
    /// a module would. Returns the status and the reply texts, nil when none were handed back.
    static func converse(context: PAMConversationContext, messages: [(Int32, String)]) -> (Int32, [String?]?) {
        withExtendedLifetime(context) {
            converse(
                conversation: pam_conv(conv: pamConversationFunction, appdata_ptr: Unmanaged.passUnretained(context).toOpaque()),
                messages: messages
            )
        }
    }

    /// Runs `conversation` over `messages` the way a module does (also used by the fake libpam).
    static func converse(conversation: pam_conv, messages: [(Int32, String)]) -> (Int32, [String?]?) {
        let texts = messages.map { strdup($0.1) }
        defer { texts.forEach { free($0) } }
        let structs = UnsafeMutablePointer<pam_message>.allocate(capacity: messages.count)
        defer { structs.deallocate() }
        for (index, message) in messages.enumerated() {
            structs[index] = pam_message(msg_style: message.0, msg: UnsafePointer(texts[index]))
        }
        var list: [UnsafePointer<pam_message>?] = (0..<messages.count).map { UnsafePointer(structs + $0) }
        var response: UnsafeMutablePointer<pam_response>?
        let status = list.withUnsafeMutableBufferPointer { buffer in
            conversation.conv(Int32(messages.count), buffer.baseAddress, &response, conversation.appdata_ptr)
        }
        guard let response else { return (status, nil) }
        var replies: [String?] = []
        for index in 0..<messages.count {
            if let text = response[index].resp {
                replies.append(String(cString: text))
                free(text)
            } else {
                replies.append(nil)
            }
        }
        free(response)
        return (status, replies)
    }
}
