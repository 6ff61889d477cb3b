import Foundation

/// The 1,000 ImageNet class names in the order of the classifier's outputs
/// (`Resources/imagenet-classes.txt`, one per line).
public enum ImageNetClasses {
    public static let names: [String] = {
        guard let url = Bundle.module.url(forResource: "imagenet-classes", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return (0..<1000).map { "class \($0)" } }
        let names = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return names.count == 1000 ? names : (0..<1000).map { "class \($0)" }
    }()
}
