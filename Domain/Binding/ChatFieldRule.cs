namespace Synapse.Binding;

/// <summary>What the binding does with one top-level field of a Chat Completions request.</summary>
public enum ChatFieldRule
{
    /// <summary>Passed on (after its shape is checked); every string in it goes through prompt DLP.</summary>
    Forward,

    /// <summary>Left out and named in <c>x-synapse-dropped-fields</c>.</summary>
    Drop,

    /// <summary>Refused with a 400 that names the field.</summary>
    Refuse,

    /// <summary>A sampling parameter of on-prem servers: passed on to vLLM and Ollama only.</summary>
    Vendor,
}
