import type { ClientPlanView } from '../../../../shared/api-contract.ts';
import { lineDiff } from '../../../../shared/line-diff.ts';

/** One planned file as a line diff: what configure adds in green, what it removes in red (keys already masked). */
export function FileDiff({ file }: { file: ClientPlanView['files'][number] }) {
  const lines = lineDiff(file.before ?? undefined, file.after);
  return (
    <figure className="file-diff">
      <figcaption className="mono small">
        {file.path} {file.before === null ? <span className="muted">(new file)</span> : !file.changed && <span className="muted">(unchanged)</span>}
      </figcaption>
      <pre className="mono small" aria-label={`Changes to ${file.path}`}>
        {lines.map((line, index) => (
          <span key={index} className={`diff-line diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </figure>
  );
}
