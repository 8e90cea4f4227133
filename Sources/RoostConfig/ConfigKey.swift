/// One entry of the configuration schema: a key's place, type, storage and meaning.
///
/// The typed `ValueCodec` and the key path into `RoostConfiguration` are captured in closures
/// so keys of different Swift types fit in one array. Defaults are not repeated here: they are
/// read from `RoostConfiguration.defaults` (the settings structs' initializers), so a default
/// is written in exactly one place and the schema, documentation dump and shipped file are
/// checked against it.
public struct ConfigKey: Sendable {
    /// The `[section]` the key belongs to.
    public let section: String
    /// The key name within its section.
    public let name: String
    /// What the user may write.
    public let type: ConfigValueType
    /// One line explaining what the key does, for generated references and dumps.
    public let doc: String

    private let assign: @Sendable (inout RoostConfiguration, String) throws(InvalidValue) -> Void
    private let renderValue: @Sendable (RoostConfiguration) -> String

    /// Declares a key stored at `field`, parsed and rendered by `codec`. Internal: keys exist
    /// only in `ConfigSchema.keys`, so every key is parsed, documented and tested alike.
    init<Value>(
        _ section: String,
        _ name: String,
        _ codec: ValueCodec<Value>,
        _ field: WritableKeyPath<RoostConfiguration, Value> & Sendable,
        doc: String
    ) {
        self.section = section
        self.name = name
        self.type = codec.type
        self.doc = doc
        self.assign = { configuration, text throws(InvalidValue) in
            configuration[keyPath: field] = try codec.parse(text)
        }
        self.renderValue = { configuration in codec.render(configuration[keyPath: field]) }
    }

    /// `section.key`, the form used in error messages and documentation.
    public var qualifiedName: String { "\(section).\(name)" }

    /// The built-in default as it would be written in the file (unquoted), e.g. `50M`.
    public var defaultValue: String { value(in: .defaults) }

    /// This key's value in `configuration`, written as the file would spell it (unquoted).
    public func value(in configuration: RoostConfiguration) -> String {
        renderValue(configuration)
    }

    /// Parses `text` and stores it into `configuration`; the caller adds file, line and key.
    func apply(_ text: String, to configuration: inout RoostConfiguration) throws(InvalidValue) {
        try assign(&configuration, text)
    }
}
