/// Random passwords for the demo user: easy to read aloud and type from a screen.
public enum DemoPassword {
    /// Letters and digits without the look-alikes 0/O/o, 1/l/I: 56 symbols, so 16 of them carry
    /// about 93 bits.
    public static let alphabet: [Character] = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// The length of a demo password.
    public static let length = 16

    /// A password of `length` symbols drawn uniformly from `alphabet`.
    public static func generate<Generator: RandomNumberGenerator>(
        length: Int = length, using generator: inout Generator
    ) -> String {
        String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "x" })
    }

    /// A password from the system's secure generator.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }
}
