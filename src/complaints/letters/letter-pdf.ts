/** The letter as a PDF (pdfkit's standard Helvetica, A4): the same text, laid out for printing and posting. */
export async function letterPdf(text: string, title: string): Promise<Buffer> {
  // Loaded when a PDF is first asked for: pdfkit reads its font metrics on load, which every process start would pay.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Producer: 'Redress' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(11).text(text, { align: 'left', lineGap: 2 });
    doc.end();
  });
}
