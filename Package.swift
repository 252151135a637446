// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "disclosure",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "disclosure", targets: ["disclosure"]),
        .library(name: "Extract", targets: ["Extract"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CSystem"),
        .target(name: "Extract", dependencies: ["CLibXML2", "CCrypto", "CSystem"], swiftSettings: strict),
        .target(name: "Transform", dependencies: ["Extract"], swiftSettings: strict),
        .target(
            name: "Load",
            dependencies: [
                "Transform",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "disclosure",
            dependencies: [
                "Extract", "Transform", "Load",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Defaults")],
            swiftSettings: strict
        ),
        .testTarget(name: "ExtractTests", dependencies: ["Extract"]),
        .testTarget(name: "TransformTests", dependencies: ["Transform"]),
        .testTarget(name: "LoadTests", dependencies: ["Load"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Load"]),
    ],
    swiftLanguageModes: [.v6]
)
