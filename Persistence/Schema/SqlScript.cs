namespace Synapse.Persistence.Schema;

/// <summary>One embedded schema script: its resource name (for error messages) and its text.</summary>
internal sealed record SqlScript(string Name, string Text);
