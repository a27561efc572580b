using Callbridge.ClientCaptions.Keys;

namespace Callbridge.ClientCaptions.Tests.Keys;

public sealed class ConferenceKeyParserTests
{
    private const string Hex32 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Theory]
    [InlineData(Hex32, 0)]
    [InlineData("  3=" + Hex32 + "  ", 3)]
    [InlineData("17=" + Hex32, 17)]
    [InlineData("base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 0)]
    [InlineData("2=base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 2)]
    public void Hex_and_base64_keys_with_or_without_an_index_give_the_same_material(string line, int index)
    {
        Assert.Equal(KeyParseError.None, ConferenceKeyParser.TryParse(line, out var key));
        using (key)
        {
            Assert.Equal(index, key!.Index);
            Assert.Equal(Convert.FromHexString(Hex32), key.Material.ToArray());
            Assert.DoesNotContain(Hex32[..8], key.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("x=" + Hex32, KeyParseError.NotHexOrBase64)]
    [InlineData("99999999999=" + Hex32, KeyParseError.BadIndex)]
    [InlineData("0011223344", KeyParseError.TooShort)]
    [InlineData("zz0102030405060708090a0b0c0d0e0f", KeyParseError.NotHexOrBase64)]
    [InlineData("00010203040506070", KeyParseError.NotHexOrBase64)]
    [InlineData("base64:!!!", KeyParseError.NotHexOrBase64)]
    [InlineData("1=", KeyParseError.NotHexOrBase64)]
    public void Bad_lines_give_a_typed_error_and_no_key(string line, KeyParseError expected)
    {
        Assert.Equal(expected, ConferenceKeyParser.TryParse(line, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Material_longer_than_64_bytes_is_refused_in_both_encodings()
    {
        string hex = new('a', 130);
        Assert.Equal(KeyParseError.TooLong, ConferenceKeyParser.TryParse(hex, out _));
        Assert.Equal(KeyParseError.TooLong, ConferenceKeyParser.TryParse("base64:" + Convert.ToBase64String(new byte[80]), out _));
    }

    [Fact]
    public void A_file_with_comments_and_a_bad_line_names_the_line_but_never_its_text()
    {
        var keys = new List<ConferenceKey>();
        string secret = "deadbeefdeadbeefdeadbeefdeadbee";
        var error = ConferenceKeyParser.ParseAll($"# conference keys\n\n0={Hex32}\n1={secret}\n", keys, out int line);
        Assert.Equal(KeyParseError.NotHexOrBase64, error);
        Assert.Equal(4, line);
        Assert.DoesNotContain(secret, ConferenceKeyParser.Explain(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_mutated_lines_only_ever_give_a_typed_result()
    {
        var random = new Random(20261122);
        string[] seeds = [Hex32, "5=" + Hex32, "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "12=base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="];
        const string alphabet = "0123456789abcdefABCDEF=:+/base64 #\t-xyz\u00e9\u0000";
        int accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            char[] line = seeds[random.Next(seeds.Length)].ToCharArray();
            int mutations = random.Next(1, 6);
            var text = new System.Text.StringBuilder(new string(line));
            for (int m = 0; m < mutations; m++)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(4))
                {
                    case 0 when text.Length > 0 && at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 2 when at < text.Length:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        text.Length = Math.Min(text.Length, at);
                        break;
                }
            }

            var error = ConferenceKeyParser.TryParse(text.ToString(), out var key);
            Assert.True(Enum.IsDefined(error));
            Assert.Equal(error == KeyParseError.None, key is not null);
            if (key is not null)
            {
                accepted++;
                Assert.InRange(key.Material.Length, ConferenceKeyParser.MinMaterialLength, ConferenceKeyParser.MaxMaterialLength);
                key.Dispose();
            }
        }

        Assert.InRange(accepted, 1, 99_999);
    }
}
