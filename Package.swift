// swift-tools-version: 6.1
import PackageDescription

/// Modules that do heavy work are optimised even in debug builds, so that
/// `swift build` stays quick (no release build of swift-syntax) while the
/// interpreter and engine run at full speed. See ARCHITECTURE.md, "Build time".
let optimised: [SwiftSetting] = [
    .unsafeFlags(["-O", "-enforce-exclusivity=unchecked"], .when(configuration: .debug)),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

#if arch(x86_64)
let narrowKernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let wideKernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
let narrowKernelFlags: [SwiftSetting] = []
let wideKernelFlags: [SwiftSetting] = []
#endif

#if os(Linux)
let kernelLinking: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]),
]
#else
let kernelLinking: [LinkerSetting] = []
#endif

let package = Package(
    name: "Shoal",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shoal", targets: ["shoal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // ONNX files are protobuf; the Swift code for onnx.proto is generated once and committed.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        // What a running cell and whoever runs it share: displays, the output
        // sink, presented errors, limits. No dependencies.
        .target(name: "CellIO"),
        // The kernel's one memory budget: resident memory measured, allocations
        // charged before they are made. No dependencies.
        .target(name: "KernelMemory", swiftSettings: optimised),
        .target(
            name: "CellLanguage",
            dependencies: [
                "CellIO", "KernelMemory",
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftParserDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftOperators", package: "swift-syntax"),
            ],
            // Every function on a 64-byte boundary and every jump target on a 32-byte one: the
            // machine's dispatch loop ran 12-15 % slower when a change elsewhere moved its start
            // by 16 bytes (benchmarks/README.md, "Formulas for pure closures, code alignment, grids,
            // constructions and a leak"); aligned, it no longer moves.
            swiftSettings: optimised + [.unsafeFlags(["-Xllvm", "-align-all-functions=6", "-Xllvm", "-align-all-nofallthru-blocks=5"])]
        ),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        // HMAC-SHA256 for message signatures (libsodium: libzmq already loads it).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // Signing, JSON and message handling run on every message: optimised too.
        .target(name: "JupyterWire", dependencies: ["CSodium"], swiftSettings: optimised),
        .target(name: "KernelServer", dependencies: ["CellIO", "JupyterWire", "CZeroMQ"], swiftSettings: optimised),
        // The CPU training engine: always optimised (see ARCHITECTURE.md, "Build time").
        // Per-file -O does not inline across files, so every per-element loop
        // lives in Kernels.swift beside the SIMD helpers it uses.
        // The narrow matrix products of convolutions, for Haswell's AVX2 and FMA on
        // x86-64 (the engine checks the processor before calling them).
        .target(name: "EngineKernels", swiftSettings: optimised + narrowKernelFlags),
        // The same products for AVX-512 (checked at run time the same way).
        .target(name: "WideKernels", swiftSettings: optimised + wideKernelFlags),
        .target(name: "TrainingEngine", dependencies: ["KernelMemory", "EngineKernels", "WideKernels"], resources: [.copy("Resources/imagenet-classes.txt")],
                swiftSettings: optimised),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        // Image decoding and resizing, image folders (and, next, the synthetic fish).
        .target(name: "Datasets", dependencies: ["KernelMemory", "TrainingEngine", "CTurboJPEG", "CCairo"], swiftSettings: optimised),
        // Charts, image grids and tables: plain arrays in, bytes out (no Tensor).
        .target(name: "Rendering", dependencies: ["CellIO", "CCairo", "CTurboJPEG"], swiftSettings: optimised),
        // Models that leave Shoal: TFLite (float32, float16, int8) and ONNX files.
        // Optimised: calibration and the quantized accuracy run whole networks.
        .target(name: "ModelExport", dependencies: ["TrainingEngine", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                swiftSettings: optimised),
        .target(name: "Practice", dependencies: ["CellIO", "CellLanguage", "KernelMemory", "TrainingEngine", "Datasets", "Rendering", "ModelExport", "JupyterWire"]),
        // Notebook files, exercise markers, student copies, validation, grading.
        .target(name: "Lessons", dependencies: ["CellIO", "CellLanguage", "Practice", "Rendering", "JupyterWire"]),
        // glibc's mallopt (malloc.h), which the Glibc module does not export.
        .systemLibrary(name: "CMalloc"),
        .target(
            name: "ShoalCLI",
            dependencies: [
                "CMalloc", "CellIO", "KernelMemory", "Practice", "KernelServer", "JupyterWire", "TrainingEngine", "Lessons",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The binary Jupyter starts. lld with packed relative relocations and
        // no exported symbol table: the loader then touches a few hundred
        // kilobytes where it touched megabytes (`make kernel` also links the
        // Swift runtime and Foundation in; see benchmarks/README.md).
        .executableTarget(name: "shoal", dependencies: ["ShoalCLI"], exclude: ["hot_functions.py", "hot-functions.txt"],
                         linkerSettings: kernelLinking),
        // `make bench`: the engine's side of the training benchmarks against torch.
        .executableTarget(name: "shoal-render-bench", dependencies: ["Rendering"], path: "benchmarks/RenderBench",
                          swiftSettings: optimised),
        .executableTarget(name: "shoal-fish-bench", dependencies: ["TrainingEngine", "Datasets"], path: "benchmarks/FishBench",
                          swiftSettings: optimised),
        // `make bench`: the leak finder against decoding alone (and `--calibrate`, how its threshold was chosen).
        .executableTarget(name: "shoal-leak-bench", dependencies: ["Datasets", "TrainingEngine"], path: "benchmarks/LeakBench",
                          swiftSettings: optimised),
        .executableTarget(name: "shoal-engine-bench", dependencies: ["TrainingEngine", "Datasets"], path: "benchmarks/EngineBench",
                          swiftSettings: optimised),
        .testTarget(
            name: "CellLanguageTests",
            dependencies: ["CellLanguage", "CellIO", "KernelMemory", "Practice"]
        ),
        .testTarget(name: "PracticeTests", dependencies: ["Practice", "CellIO", "CellLanguage", "KernelMemory"]),
        .testTarget(name: "ModelExportTests", dependencies: ["ModelExport", "TrainingEngine"]),
        .testTarget(name: "TrainingEngineTests", dependencies: ["TrainingEngine", "KernelMemory"], exclude: ["torch_reference.py"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "CCairo", "CTurboJPEG"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TrainingEngine", "CTurboJPEG", "CCairo"],
                    exclude: ["efficientnet_reference.py", "gradcam_reference.py"]),
        .testTarget(name: "JupyterWireTests", dependencies: ["JupyterWire"]),
        .testTarget(name: "KernelServerTests", dependencies: ["KernelServer", "CellIO", "JupyterWire"]),
        .testTarget(name: "ShoalCLITests", dependencies: ["ShoalCLI", "CellIO", "KernelServer", "JupyterWire", "Lessons"]),
    ],
    swiftLanguageModes: [.v5]
)
