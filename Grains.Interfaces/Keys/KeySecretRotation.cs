namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// A new secret for a key, by its hash only: the front end mints the secret and shows it once, so
/// the secret itself never crosses a grain boundary.
/// </summary>
/// <param name="NewSecretSha256">Lower-case hex SHA-256 of the new secret.</param>
/// <param name="NewPrefix">The new secret's display prefix.</param>
/// <param name="ExpectedPrefix">
/// The prefix of the secret the caller saw before rotating. A key rotated meanwhile (another admin,
/// a retried request) has another one, and this rotation is refused: of two rotations at once only
/// one succeeds, so only one new secret is ever shown.
/// </param>
/// <param name="Overlap">How long the replaced secret keeps working; zero stops it at once.</param>
[GenerateSerializer, Immutable, Alias("synapse.KeySecretRotation")]
public sealed record KeySecretRotation(
    [property: Id(0)] string NewSecretSha256,
    [property: Id(1)] string NewPrefix,
    [property: Id(2)] string ExpectedPrefix,
    [property: Id(3)] TimeSpan Overlap);
