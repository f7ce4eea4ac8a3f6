namespace Synapse.Translation;

/// <summary>One tool-call fragment of a chat chunk: a new call carries its id and name, later ones arguments.</summary>
internal readonly record struct ChatChunkToolCall(int Index, string? Id, string? Name, string? Arguments);
