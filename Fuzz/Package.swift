// swift-tools-version: 6.0
// The Extract readers under libFuzzer. Built only by `make fuzz` (part of `make test`), with
// -sanitize=fuzzer, into .build-fuzz/: libFuzzer provides the driver this target calls.
import PackageDescription

let package = Package(
    name: "disclosure-fuzz",
    dependencies: [.package(name: "disclosure", path: "..")],
    targets: [
        .executableTarget(name: "ExtractFuzz", dependencies: [.product(name: "Core", package: "disclosure"), .product(name: "Extract", package: "disclosure")]),
    ],
    swiftLanguageModes: [.v6]
)
