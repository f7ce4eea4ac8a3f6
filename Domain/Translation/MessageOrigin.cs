namespace Synapse.Translation;

/// <summary>
/// Where one internal chat message came from in the client's body: the client's item
/// (<c>messages[2]</c>, <c>input[4]</c>, <c>system</c>) and, when the message has content parts or
/// tool calls, the client's path of each in order. They are not numbered alike: a Messages user
/// turn's tool results become messages of their own, and consecutive Responses function calls
/// become one assistant message.
/// </summary>
public readonly record struct MessageOrigin(string Path, IReadOnlyList<string>? Parts = null, IReadOnlyList<string>? Calls = null);
