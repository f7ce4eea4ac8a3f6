using System.Text;
using Microsoft.ML.Tokenizers;
using Synapse.RateLimiting;

namespace Synapse.Tests.RateLimiting;

/// <summary>
/// The hand-written o200k counter against Microsoft.ML.Tokenizers' Tiktoken, the reference it
/// replaced: the same count for every text whose pre-tokens fit <see cref="O200kTokenCounter.MaxPieceBytes"/>.
/// </summary>
public sealed class O200kTokenCounterTests
{
    private static readonly Lazy<O200kTokenCounter> Counter = new(O200kTokenCounter.Load);
    private static readonly Lazy<Tokenizer> Reference = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static TheoryData<string> Samples() =>
    [
        "",
        "a",
        "Hello, world!",
        "The quarterly report covers revenue, costs and the hiring plan for the next two years.",
        "I'm sure you'll see they've said we'd go, don't you? IT'S FINE, WE'LL SEE.",
        "Grüße aus München: Straße, Mädchen, Öl und Übermut.",
        "Le cœur a ses raisons que la raison ne connaît point. À bientôt, garçon!",
        "Привет, мир! Съешь же ещё этих мягких французских булок.",
        "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
        "مرحبا بالعالم، هذه جملة عربية للاختبار.",
        "नमस्ते दुनिया, यह एक परीक्षण वाक्य है।",
        "数据保护与隐私政策适用于所有员工和承包商。",
        "日本語のテキスト、カタカナとひらがな。",
        "한국어 문장을 시험합니다.",
        "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
        "Emoji 👍🏽 family 👨‍👩‍👧‍👦 flags 🇩🇪🇫🇷 and ✨ sparkles ✨",
        "Numbers 1 12 123 1234 12345 3.14159 -42 1,000,000 0x1F 2026-11-30T23:13:00Z",
        "public sealed class Foo { private int _bar; public int Bar => _bar * 2; } // comment",
        "def f(x):\n    return [i ** 2 for i in range(x) if i % 2 == 0]\n",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}",
        "<html><body><p class=\"x\">Text &amp; more</p></body></html>",
        "Tabs\tand\t\ttabs, CRLF\r\nlines\r\n\r\nand   spaces    between  words   \n\n\n end",
        "Trailing spaces   ",
        "   leading spaces",
        "!!! ??? ... --- *** /// \\\\ ||| ~~~ ^^^ @@@ ### $$$ %%% &&& ((( ))) [[[ ]]] {{{ }}}",
        "path/to/file.txt and C:\\Users\\name\\file.docx and https://example.com/a?b=c&d=e#f",
        "mixedCASEWords camelCase PascalCase snake_case kebab-case SCREAMING_CASE",
        "hello <|endoftext|> world",
        "<|endofprompt|>",
        "<|endoftext|><|endoftext|>text<|endofprompt|>",
        "<|not a special token|> <| endoftext |>",
        "e\u0301 combining accents a\u0308 o\u0302 and zero\u200Bwidth\u200Dspace",
        "\uD83D\uDE00 surrogate pair and a lone high \uD800 then text",
        new string(' ', 127) + "x",
        new string('\n', 40),
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Count_IsTheReferenceCount(string text)
    {
        Assert.Equal(Reference.Value.CountTokens(text), Counter.Value.Count(text));
    }

    [Fact]
    public void Count_IsTheReferenceCount_OnGeneratedTextOfEveryScript()
    {
        // Short words of characters drawn from many scripts and symbol classes, separated by
        // varied whitespace and punctuation: no pre-token reaches the slice length.
        var random = new Random(20261130);
        var alphabets = new[]
        {
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "äöüßéèêçñøåÄÖÜÉ",
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД", "αβγδεζηθικλμνξοπρστυφχψω", "的一是不了人我在有他这为之大来以个中上们",
            "あいうえおかきくけこアイウエオ", "가나다라마바사아자차카타파하", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "€£¥©®™°±×÷§¶•…", "😀😂🤖👍🏽🎉🔥✅❌",
        };
        var separators = new[] { " ", "  ", "\t", "\n", "\r\n", " \n ", ", ", ". ", "'s ", "'LL ", "/" };
        var mismatches = new List<string>();
        for (var sample = 0; sample < 3000; sample++)
        {
            var text = new StringBuilder();
            for (var word = random.Next(1, 30); word > 0; word--)
            {
                var alphabet = alphabets[random.Next(alphabets.Length)];
                var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
                var letters = new List<string>();
                while (elements.MoveNext())
                {
                    letters.Add(elements.GetTextElement());
                }

                for (var length = random.Next(1, 8); length > 0; length--)
                {
                    text.Append(letters[random.Next(letters.Count)]);
                }

                text.Append(separators[random.Next(separators.Length)]);
            }

            var value = text.ToString();
            var expected = Reference.Value.CountTokens(value);
            var actual = Counter.Value.Count(value);
            if (expected != actual)
            {
                mismatches.Add($"{expected} != {actual}: {value}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
    }

    [Theory]
    [InlineData(" ", 16384)]
    [InlineData("\n", 16384)]
    [InlineData(" \n", 8192)]
    [InlineData("\t ", 4096)]
    public void LongWhitespaceRuns_AreCountedInSlices_NeverBelowTheReference(string unit, int repeat)
    {
        var text = "start" + string.Concat(Enumerable.Repeat(unit, repeat)) + "end";

        var count = Counter.Value.Count(text);

        Assert.InRange(count, Reference.Value.CountTokens(text), Encoding.UTF8.GetByteCount(text));
    }
}
