using System.Text;

namespace CryptoMargin.Data;

/// <summary>
/// Writes a file all at once or not at all: the content goes to a temporary file in the same folder, which then
/// replaces the target with a rename. A reader never sees half a file, and a failed write leaves the old file as it
/// was. Creates the folder when it does not exist.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> as UTF-8 without a byte order mark.</summary>
    public static void WriteAllText(string path, string contents) =>
        Write(path, s =>
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
            s.Write(bytes);
        });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>Calls <paramref name="write"/> with a stream on the temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder", nameof(path));
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
