namespace Callbridge.Stun.Tests;

/// <summary>The sample messages of RFC 5769 §2, as hex.</summary>
internal static class Rfc5769Vectors
{
    public const string ShortTermPassword = "VOkJxbRl1RmTxUk/WvJxBt";

    // §2.1 Sample Request: SOFTWARE "STUN test client", PRIORITY, ICE-CONTROLLED, USERNAME "evtj:h6vY"
    // (padded with spaces), MESSAGE-INTEGRITY, FINGERPRINT.
    public static readonly byte[] Request = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
        "002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836765920202000080014" +
        "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    // §2.2 Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853.
    public static readonly byte[] ResponseIPv4 = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200008" +
        "0001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96");

    // §2.3 Sample IPv6 Response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.
    public static readonly byte[] ResponseIPv6 = Convert.FromHexString(
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f722000200014" +
        "0002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275" +
        "bfe3ed4180280004c8fb0b4c");

    // §2.4 Sample Request with Long-Term Authentication: USERNAME (Katakana "matrix"), NONCE, REALM
    // "example.org", MESSAGE-INTEGRITY keyed with MD5("<user>:example.org:TheMatrIX").
    public static readonly byte[] RequestLongTerm = Convert.FromHexString(
        "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe3" +
        "82b900000015001c662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b" +
        "6578616d706c652e6f72670000080014f67024656dd64a3e02b8e0712e85c9a28ca89666");

    public const string LongTermUsername = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
}
