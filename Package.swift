// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// Linux is where it runs (cron on the centre's server); the system calls are guarded so that it
// also builds on macOS for development.
let package = Package(
    name: "disclosure",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "disclosure", targets: ["disclosure"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Extract", targets: ["Extract"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C: libxml2 (Extract's XML readers only), libcrypto (SHA-256), system calls Glibc lacks.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSysCalls"),
        // poppler's GLib interface: PDF text and glyph boxes, loaded (dlopen) only by the PDF worker process.
        .systemLibrary(name: "CPoppler"),
        // The vocabulary every stage shares: findings and rules, the registry, config files, text.
        .target(name: "Core", dependencies: ["CCrypto"], swiftSettings: strict),
        // The state store: files, indexes, shards, background writes.
        .target(name: "Store", dependencies: ["Core", "CSysCalls"], swiftSettings: strict),
        .target(name: "Extract", dependencies: ["Core", "Store", "CLibXML2", .product(name: "Logging", package: "swift-log"),
                                                .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: strict),
        .target(name: "Transform", dependencies: ["Core", "Store", "Extract", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The versioned dataset and the city's figures.
        .target(
            name: "Load",
            dependencies: [
                "Core", "Store", "Transform",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own C API, for binding a fact's text without a C string copy of it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The same dataset in a PostgreSQL server shared by a province's cities (each city's own schema).
        .target(
            name: "PostgresDataset",
            dependencies: [
                "Core", "Store", "Transform", "Load",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The outputs: report.md/html/docx, the exports, the feedback files.
        .target(
            name: "Report",
            dependencies: [
                "Core", "Store", "Transform", "Load",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        // The child process that lays out a PDF's pages (poppler kept out of the run's process).
        .target(name: "PDFWorker", dependencies: ["Core", "Store", "CPoppler"], swiftSettings: strict),
        // The workspace and the pipeline over it: what every command runs.
        .target(
            name: "Pipeline",
            dependencies: ["Core", "Store", "Extract", "Transform", "Load", "PostgresDataset", "Report",
                           .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Defaults")],
            swiftSettings: strict
        ),
        // `disclosure serve`: the season as pages, a thin router over the pipeline's services.
        .target(
            name: "Server",
            dependencies: [
                "Core", "Store", "Transform", "Load", "Report", "Pipeline", "CCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "disclosure",
            dependencies: ["Core", "Store", "Transform", "Load", "Pipeline", "PDFWorker", "Server",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // Tests by module, each declaring what it imports.
        // Where tests write: one folder a test process, removed when it exits.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "StoreTests", dependencies: ["Core", "Store", "TestSupport"]),
        .testTarget(name: "ExtractTests", dependencies: ["Core", "Store", "Extract", "TestSupport"]),
        .testTarget(name: "TransformTests", dependencies: ["Core", "Extract", "Transform"]),
        .testTarget(name: "LoadTests", dependencies: ["Core", "Store", "Transform", "Load", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReportTests", dependencies: ["Core", "Store", "Report", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Core", "Store", "Extract", "Transform", "Load", "Pipeline", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: ["Core", "Pipeline", "Server", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                  .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types")]),
        .testTarget(name: "PostgresDatasetTests", dependencies: ["Load", "PostgresDataset", "TestSupport", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "EndToEndTests", dependencies: ["Core", "Extract", "Load", "PostgresDataset", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
