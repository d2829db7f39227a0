namespace CryptoMargin.Data.Tests;

public class AtomicFileTests
{
    [Fact]
    public void WritesAndOverwritesLeavingNoTemporaryFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("out/report.json");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second é");
        Assert.Equal("second é", File.ReadAllText(path));
        Assert.Equal([0x73, 0x65], File.ReadAllBytes(path).Take(2)); // no byte order mark
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void FailedWriteKeepsTheOldFileAndCleansUp()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("keep.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(tmp.Path));
    }
}
