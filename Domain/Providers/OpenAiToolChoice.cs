namespace Synapse.Providers;

/// <summary>What an OpenAI request's <c>tool_choice</c> asks for, read once for the translators that rename it.</summary>
internal enum OpenAiToolChoice
{
    /// <summary><c>"none"</c>.</summary>
    None,

    /// <summary><c>"auto"</c>, or any other string.</summary>
    Auto,

    /// <summary><c>"required"</c>.</summary>
    Required,

    /// <summary><c>{"type":"function","function":{"name":…}}</c>.</summary>
    Function,
}
