import RoostIMAP
import RoostStorage

/// The mailbox most SEARCH tests run over. Sequence numbers 1 to 6 have UIDs 2 to 7 (UID 1 was
/// expunged), so a test can tell sequence numbers from UIDs.
///
/// | # | UID | flags, keywords | recent | arrived (UTC) | Date: | what it is |
/// |---|-----|-----------------|--------|---------------|-------|------------|
/// | 1 | 2 | \Seen \Answered $Forwarded | | 2026-03-01 16:30 | 2 Mar 2026 01:30 +0900 | plain ASCII, X-Mailer |
/// | 2 | 3 | \Flagged | | 2026-03-11 08:00 | 10 Mar 2026 23:59:59 -0800 | UTF-8 encoded words, base64 UTF-8 body |
/// | 3 | 4 | \Deleted \Draft Work | | 2026-03-15 01:00 | 15 Mar 2026 09:00 +0800 | GB2312 subject and base64 body |
/// | 4 | 5 | \Seen | | 2026-03-20 12:00 | 20 Mar 2026 12:00 +0000 | multipart: Big5 QP, UTF-8 QP, attachment |
/// | 5 | 6 | | yes | 2026-03-05 12:00 | none | no Date, no Subject |
/// | 6 | 7 | \Seen | yes | 2026-03-25 00:00 | 25 Mar 26 (two-digit year) | forwarded message/rfc822, Latin-1 |
enum SearchFixtures {
    static let plain = """
        From: Alice Smith <alice@example.org>
        To: Bob Jones <bob@example.net>
        Cc: carol@example.com
        Bcc: dave@example.com
        Subject: Quarterly Report
        Date: Mon, 2 Mar 2026 01:30:00 +0900
        Message-ID: <q1@example.org>
        X-Mailer: RoostTest 1.0
        Content-Type: text/plain; charset=us-ascii

        Hello Bob, the numbers are in. Revenue is UP this quarter.

        """

    /// Subject 会议通知：季度报告, From 张三, body "Über den Wolken muss die Freiheit wohl grenzenlos sein."
    static let utf8 = """
        From: =?UTF-8?B?5byg5LiJ?= <zhang@example.cn>
        To: alice@example.org
        Subject: =?UTF-8?B?5Lya6K6u6YCa55+l77ya5a2j5bqm5oql5ZGK?=
        Date: Tue, 10 Mar 2026 23:59:59 -0800
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: base64

        w5xiZXIgZGVuIFdvbGtlbiBtdXNzIGRpZSBGcmVpaGVpdCB3b2hsIGdyZW56ZW5sb3Mgc2Vpbi4NCg==

        """

    /// Subject 中文邮件测试 and body 这是一封简体中文的测试邮件，内容包括会议安排。, both GB2312.
    static let gb2312 = """
        From: li@example.cn
        To: alice@example.org
        Subject: =?GB2312?B?1tDOxNPKvP6y4srU?=
        Date: 15 Mar 2026 09:00 +0800
        MIME-Version: 1.0
        Content-Type: text/plain; charset=GB2312
        Content-Transfer-Encoding: base64

        1eLKx9K7t+K88szl1tDOxLXEsuLK1NPKvP6jrMTayN2w/MCou+HS6bCyxcWhow0K

        """

    /// A Big5 part (這是一封繁體中文的測試郵件。), a UTF-8 part (Le café crème est prêt à midi.) and an
    /// attachment whose plain words must not be found by BODY.
    static let multipart = """
        From: "Chen, Wei" <chen@example.tw>
        To: alice@example.org
        Subject: Attachments
        Date: Fri, 20 Mar 2026 12:00:00 +0000
        X-Tracking: abc123
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain; charset=Big5
        Content-Transfer-Encoding: quoted-printable

        =B3o=ACO=A4@=AB=CA=C1c=C5=E9=A4=A4=A4=E5=AA=BA=B4=FA=B8=D5=B6l=A5=F3=A1C
        --b1
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: quoted-printable

        Le caf=C3=A9 cr=C3=A8me est pr=C3=AAt =C3=A0 midi.
        --b1
        Content-Type: application/octet-stream; name="notes.bin"

        zebra crossing
        --b1--

        """

    static let undated = """
        From: robot@example.com
        To: alice@example.org

        Automated message.

        """

    /// A forward: the inner message's header is body of the outer one; its text is Latin-1
    /// (Grüße aus Köln).
    static let forward = """
        From: bob@example.net
        To: alice@example.org
        Subject: Fwd: plans
        Date: Wed, 25 Mar 26 10:00:00 GMT
        MIME-Version: 1.0
        Content-Type: message/rfc822

        From: eve@example.com
        Subject: Inner secret plans
        Content-Type: text/plain; charset=ISO-8859-1
        Content-Transfer-Encoding: quoted-printable

        Gr=FC=DFe aus K=F6ln, and the launch codes.

        """

    /// The table's mailbox.
    static func mailbox() throws -> SearchMailbox {
        let mailbox = try SearchMailbox()
        let gone = try mailbox.add("Subject: gone\n\nx\n", arrived: "2026-02-01T00:00:00Z")
        _ = try mailbox.folder.expunge([gone])
        try mailbox.add(plain, flags: [.seen, .answered], keywords: ["$Forwarded"], arrived: "2026-03-01T16:30:00Z")
        try mailbox.add(utf8, flags: [.flagged], arrived: "2026-03-11T08:00:00Z")
        try mailbox.add(gb2312, flags: [.deleted, .draft], keywords: ["Work"], arrived: "2026-03-15T01:00:00Z")
        try mailbox.add(multipart, flags: [.seen], arrived: "2026-03-20T12:00:00Z")
        try mailbox.add(undated, arrived: "2026-03-05T12:00:00Z", recent: true)
        try mailbox.add(forward, flags: [.seen], arrived: "2026-03-25T00:00:00Z", recent: true)
        return mailbox
    }
}
