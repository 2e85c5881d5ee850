// A multipart/form-data body of files in the field `file`, the form Jira's attachment uploads and
// Service Management's temporary attachments both take.

export interface UploadFile {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly mimeType?: string;
}

export function multipartFiles(files: readonly UploadFile[]): { data: Buffer; contentType: string } {
  const boundary = `----amb${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const parts = files.flatMap((file) => {
    // The name ends up inside a quoted header value: quotes, line breaks and backslashes may not pass.
    const name = file.filename.replace(/["\r\n\\]/g, '_');
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${file.mimeType ?? 'application/octet-stream'}\r\n\r\n`;
    return [Buffer.from(head, 'utf8'), file.data, Buffer.from('\r\n', 'utf8')];
  });
  return {
    data: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`, 'utf8')]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
