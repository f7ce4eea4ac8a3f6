using System.Text;

namespace Synapse.LoadHarness;

/// <summary>Plain English-looking filler of a given length, for prompts and answers.</summary>
internal static class Text
{
    private const string Words = "The gateway forwards each request to the provider bound to the key and relays the answer back to the caller. ";

    public static string Make(int chars)
    {
        var text = new StringBuilder(chars + Words.Length);
        while (text.Length < chars)
        {
            text.Append(Words);
        }

        return text.ToString(0, chars);
    }
}
