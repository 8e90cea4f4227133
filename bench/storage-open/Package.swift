// swift-tools-version:6.1
// Benchmark: open a 100,000-message Maildir folder whose index is current. See ../README.md.
import PackageDescription

let package = Package(
    name: "storage-open",
    dependencies: [.package(name: "Roost", path: "../..")],
    targets: [
        .executableTarget(
            name: "storage-open",
            dependencies: [.product(name: "RoostStorage", package: "Roost")]
        ),
    ]
)
