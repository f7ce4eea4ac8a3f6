namespace Synapse.Binding;

/// <summary>What <see cref="RequestJson.FindUndecodableText"/> found in a JSON text.</summary>
internal enum UndecodableText
{
    None,

    /// <summary>Bytes that are not UTF-8.</summary>
    InvalidUtf8,

    /// <summary>A string or property name whose escapes are not valid UTF-16.</summary>
    LoneSurrogate,
}
