using Pipeline.Running;

namespace Pipeline.Tests.Running;

public sealed class UrlFingerprintTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Of_KnownInputs_IsTheFnv1aValue(string value, ulong expected) => Assert.Equal(expected, UrlFingerprint.Of(value));
}
