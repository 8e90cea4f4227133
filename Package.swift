// swift-tools-version:6.1
// Roost: a POP3/IMAP mail retrieval server over Maildir. See docs/architecture.md for the layers.
import PackageDescription

let package = Package(
    name: "Roost",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mailboxctl", targets: ["mailboxctl"]),
        // For the benchmarks in bench/, which are packages of their own.
        .library(name: "RoostStorage", targets: ["RoostStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // System libraries (Debian: libcrypt-dev, libpam0g-dev). PAM authentication comes with issue 5.
        .systemLibrary(name: "CCrypt", path: "Sources/CCrypt"),
        .systemLibrary(name: "CPAM", path: "Sources/CPAM"),

        // Domain layer: no sockets, no protocol words.
        .target(name: "RoostMIME"),
        .target(
            name: "RoostStorage",
            dependencies: ["RoostMIME", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "RoostAuth",
            dependencies: [
                "CCrypt",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "RoostConfig"),

        // Wiring layer.
        .target(
            name: "RoostAdmin",
            dependencies: [
                "RoostStorage", "RoostAuth", "RoostConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Executables: main.swift only.
        .executableTarget(name: "mailboxctl", dependencies: ["RoostAdmin"]),

        .testTarget(name: "RoostMIMETests", dependencies: ["RoostMIME"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RoostStorageTests", dependencies: ["RoostStorage"], exclude: ["Fixtures"]),
        .testTarget(name: "RoostAuthTests", dependencies: ["RoostAuth", "CPAM"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RoostConfigTests", dependencies: ["RoostConfig"]),
        .testTarget(name: "RoostAdminTests", dependencies: ["RoostAdmin"]),
    ]
)
