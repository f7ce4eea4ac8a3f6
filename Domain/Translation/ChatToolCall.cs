namespace Synapse.Translation;

/// <summary>One tool call of a whole chat answer.</summary>
internal sealed record ChatToolCall(string Id, string Name, string Arguments);
