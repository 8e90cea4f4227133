// swift-tools-version:6.1
// Roost: a POP3/IMAP mail retrieval server over Maildir. See docs/architecture.md for the layers.
import PackageDescription

let package = Package(
    name: "Roost",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roostd", targets: ["roostd"]),
        .executable(name: "mailboxctl", targets: ["mailboxctl"]),
        // For the benchmarks in bench/, which are packages of their own.
        .library(name: "RoostStorage", targets: ["RoostStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries (Debian: libcrypt-dev, libpam0g-dev).
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .systemLibrary(name: "CPAM", path: "Sources/CPAM"),
        // Linux calls Swift cannot make itself: prctl, capset, per-thread setfsuid.
        .target(name: "CRoostPrivileges"),

        // Domain layer: no sockets, no protocol words.
        .target(name: "RoostMIME"),
        .target(
            name: "RoostStorage",
            dependencies: ["RoostMIME", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "RoostAuth",
            dependencies: [
                "CCrypt", "CPAM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "RoostConfig"),

        // Protocol layer: grammar and session state over NIOCore; no sockets, no TLS.
        .target(
            name: "RoostProtocolSupport",
            dependencies: [
                "RoostStorage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // IMAP4rev1 grammar: values, framer, parser and encoder; NIOCore only, no storage or sockets.
        .target(
            name: "RoostIMAPGrammar",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // IMAP4rev1 sessions: state, mailbox views, FETCH/SEARCH over storage, the NIO handler.
        .target(
            name: "RoostIMAP",
            dependencies: [
                "RoostIMAPGrammar", "RoostProtocolSupport", "RoostStorage", "RoostAuth", "RoostMIME",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RoostPOP3",
            dependencies: [
                "RoostProtocolSupport", "RoostStorage", "RoostAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "RoostAuthSocket",
            dependencies: [
                "RoostAuth", "RoostProtocolSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Wiring layer.
        .target(
            name: "RoostAdmin",
            dependencies: [
                // RoostIMAP for the renderings roost.cache keeps (IMAPCachedRenderings).
                "RoostStorage", "RoostAuth", "RoostConfig", "RoostIMAP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "RoostServer",
            dependencies: [
                "RoostProtocolSupport", "RoostPOP3", "RoostIMAP", "RoostIMAPGrammar", "RoostAuthSocket", "RoostAdmin", "RoostStorage", "RoostAuth", "RoostConfig",
                "CRoostPrivileges",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: main.swift only.
        .executableTarget(name: "roostd", dependencies: ["RoostServer"]),
        .executableTarget(name: "mailboxctl", dependencies: ["RoostAdmin"]),

        // Test support: the server in-process on port 0, scripted clients, certificates.
        .target(
            name: "RoostTesting",
            dependencies: [
                "RoostServer", "RoostAdmin", "RoostConfig", "RoostAuth", "RoostStorage", "RoostProtocolSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/RoostTesting"
        ),

        // What Dovecot reports for RoostMIMETests' fixtures, shared by the MIME and IMAP tests.
        .target(name: "RoostMIMEReference", path: "Tests/RoostMIMEReference"),
        .testTarget(name: "RoostMIMETests", dependencies: ["RoostMIME", "RoostMIMEReference"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RoostStorageTests", dependencies: ["RoostStorage"], exclude: ["Fixtures"]),
        .testTarget(name: "RoostAuthTests", dependencies: ["RoostAuth", "CPAM", "RoostTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RoostConfigTests", dependencies: ["RoostConfig"]),
        .testTarget(name: "RoostAdminTests", dependencies: ["RoostAdmin", "RoostTesting"]),
        .testTarget(
            name: "RoostProtocolSupportTests",
            dependencies: ["RoostProtocolSupport", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "RoostIMAPGrammarTests",
            dependencies: [
                "RoostIMAPGrammar",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RoostIMAPTests",
            dependencies: [
                "RoostIMAP", "RoostIMAPGrammar", "RoostMIMEReference", "RoostStorage", "RoostAuth", "RoostMIME", "RoostProtocolSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RoostPOP3Tests",
            dependencies: [
                "RoostPOP3", "RoostStorage", "RoostAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RoostAuthSocketTests",
            dependencies: [
                "RoostAuthSocket", "RoostAuth", "RoostProtocolSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RoostServerTests",
            dependencies: [
                "RoostServer", "RoostTesting", "RoostAuth", "RoostConfig", "RoostStorage",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Real clients (poplib, imaplib, curl, fetchmail, getmail6, mbsync, offlineimap, mutt, openssl,
        // fail2ban-regex, Postfix with swaks) against the server.
        .testTarget(
            name: "RoostInteropTests",
            dependencies: [
                "RoostServer", "RoostTesting", "RoostAuth", "RoostStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ]
)
